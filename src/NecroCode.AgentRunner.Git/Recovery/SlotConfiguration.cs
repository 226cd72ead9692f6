namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Brings a slot's own git configuration (<c>.git/config</c>) back to what a plain clone of the pool's remote
/// holds, before the runner runs anything in it. An earlier run that crashed, or a hostile one, may have left
/// settings that redirect the push (<c>remote.origin.pushurl</c>, <c>url.*.insteadOf</c>), run programs
/// (<c>core.hooksPath</c>, <c>core.fsmonitor</c>, <c>filter.*</c>, <c>credential.helper</c>, <c>core.sshCommand</c>),
/// pull in other files (<c>include.*</c>, <c>includeIf.*</c>) or hide files (<c>core.sparseCheckout</c>). Only
/// the keys of the allow-list below are kept; every other key of the file is removed and named in a warning.
/// The per-worktree configuration (<c>config.worktree</c>) and a sparse-checkout pattern file are removed too.
/// </summary>
internal static class SlotConfiguration
{
    /// <summary>Keys a clone writes or that only tune storage and performance; compared case-insensitively.</summary>
    private static readonly HashSet<string> KeptKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "core.repositoryformatversion", "core.filemode", "core.bare", "core.logallrefupdates", "core.ignorecase",
        "core.precomposeunicode", "core.symlinks", "core.autocrlf", "core.eol", "core.safecrlf", "core.quotepath",
        "core.compression", "core.bigfilethreshold", "core.checkstat", "core.trustctime", "core.untrackedcache",
        "core.splitindex", "core.preloadindex", "core.commitgraph", "core.multipackindex",
        "user.name", "user.email", "init.defaultbranch", "protocol.version",
    };

    /// <summary>Sections whose every key is kept: object format and storage tuning.</summary>
    private static readonly string[] KeptSections = ["extensions.", "gc.", "pack.", "index.", "fetch.", "feature.", "lfs.repositoryformatversion"];

    /// <summary>Keys kept for the pool's remote: <c>remote.&lt;remote&gt;.&lt;key&gt;</c>.</summary>
    private static readonly string[] KeptRemoteKeys = ["url", "fetch", "tagopt", "prune", "promisor", "partialclonefilter"];

    /// <summary>Keys kept for any branch: its tracking.</summary>
    private static readonly string[] KeptBranchKeys = ["remote", "merge"];

    /// <summary>Removes what the allow-list does not keep.</summary>
    /// <param name="git">Runs git.</param>
    /// <param name="path">The slot's working directory.</param>
    /// <param name="gitDirectory">The slot's git directory.</param>
    /// <param name="remote">The pool's remote name.</param>
    /// <param name="timeout">Longest one git command may run.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>
    /// The removed keys and files (empty for a clean slot) and, when nothing was removed and no configuration file
    /// includes another, the listing it read: the effective configuration a <see cref="SlotSnapshot"/> would list.
    /// </returns>
    /// <exception cref="WorkspaceException">git cannot read or change the slot's configuration file.</exception>
    public static async Task<SanitizedConfiguration> SanitizeAsync(GitCli git, string path, string gitDirectory, string remote, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var leftover in new[] { "config.worktree", Path.Combine("info", "sparse-checkout") })
        {
            var file = Path.Combine(gitDirectory, leftover);
            if (File.Exists(file))
            {
                File.Delete(file);
                removed.Add(".git/" + leftover.Replace('\\', '/'));
            }
        }

        var config = Path.Combine(gitDirectory, "config");
        if (!File.Exists(config))
        {
            return new SanitizedConfiguration(removed, Listing: null, Config: null);
        }

        // Every scope with its origin, without following includes: the include keys of the slot's file are what is
        // removed, and nothing is read from the files they name. The slot's own keys are those of the local scope.
        var content = await File.ReadAllBytesAsync(config, cancellationToken).ConfigureAwait(false);
        var listing = await git.RunCheckedAsync(path, ["config", "--list", "--show-scope", "--show-origin", "--no-includes", "-z"], timeout, cancellationToken).ConfigureAwait(false);
        var entries = ScopedEntries(listing.StandardOutput);
        var foreign = entries
            .Where(entry => entry.Scope == "local" && !IsKept(entry.Key, remote))
            .Select(entry => entry.Key)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var key in foreign)
        {
            var unset = await git.RunAsync(path, ["config", "--file", config, "--unset-all", key], null, timeout, cancellationToken).ConfigureAwait(false);

            // Exit 5: the key is gone already (another spelling of it was removed before).
            if (!unset.Succeeded && unset.ExitCode != 5)
            {
                throw new WorkspaceException($"The setting '{GitErrors.Mask(key)}' could not be removed from '{config}' (exit {unset.ExitCode}): {GitErrors.Mask(unset.StandardError.Trim())}");
            }

            removed.Add(GitErrors.Mask(key));
        }

        // Without includes anywhere, the listing is the effective configuration as it stays after the checkout, in the
        // form of SlotSnapshot's listing (origin, then key and value).
        var reusable = removed.Count == 0 && !entries.Any(entry => IsInclude(entry.Key));
        return new SanitizedConfiguration(removed, reusable ? string.Concat(entries.Select(e => $"{e.Origin}\0{e.Setting}\0")) : null, reusable ? content : null);
    }

    /// <summary>Whether the allow-list keeps a key.</summary>
    /// <param name="key">The key as git lists it (section and name lower-cased, subsection as written).</param>
    /// <param name="remote">The pool's remote name.</param>
    /// <returns>True when it is kept.</returns>
    internal static bool IsKept(string key, string remote)
    {
        if (KeptKeys.Contains(key) || KeptSections.Any(s => key.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var first = key.IndexOf('.', StringComparison.Ordinal);
        var last = key.LastIndexOf('.');
        if (first < 0 || last <= first)
        {
            return false;
        }

        var section = key[..first];
        var subsection = key[(first + 1)..last];
        var name = key[(last + 1)..];
        return section.ToLowerInvariant() switch
        {
            "remote" => string.Equals(subsection, remote, StringComparison.Ordinal) && KeptRemoteKeys.Contains(name, StringComparer.OrdinalIgnoreCase),
            "branch" => KeptBranchKeys.Contains(name, StringComparer.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>Splits a <c>--show-scope --show-origin -z</c> listing: "scope\0origin\0key\nvalue\0" per setting.</summary>
    private static List<(string Scope, string Origin, string Setting, string Key)> ScopedEntries(string listing)
    {
        var parts = listing.Split('\0');
        var entries = new List<(string, string, string, string)>(parts.Length / 3);
        for (var i = 0; i + 2 < parts.Length; i += 3)
        {
            var setting = parts[i + 2];
            var newline = setting.IndexOf('\n', StringComparison.Ordinal);
            entries.Add((parts[i], parts[i + 1], setting, newline < 0 ? setting : setting[..newline]));
        }

        return entries;
    }

    private static bool IsInclude(string key) =>
        key.StartsWith("include.", StringComparison.OrdinalIgnoreCase) || key.StartsWith("includeif.", StringComparison.OrdinalIgnoreCase);
}
