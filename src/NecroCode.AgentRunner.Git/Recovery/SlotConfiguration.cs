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

    /// <summary>Removes what the allow-list does not keep; returns the removed keys (empty for a clean slot).</summary>
    /// <param name="git">Runs git.</param>
    /// <param name="path">The slot's working directory.</param>
    /// <param name="gitDirectory">The slot's git directory.</param>
    /// <param name="remote">The pool's remote name.</param>
    /// <param name="timeout">Longest one git command may run.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>The removed keys, and the removed files as <c>.git/…</c> paths.</returns>
    /// <exception cref="WorkspaceException">git cannot read or change the slot's configuration file.</exception>
    public static async Task<IReadOnlyList<string>> SanitizeAsync(GitCli git, string path, string gitDirectory, string remote, TimeSpan timeout, CancellationToken cancellationToken)
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
            return removed;
        }

        // --file reads the slot's own file only, without following its includes: the include keys themselves are
        // what is removed.
        var listing = await git.RunCheckedAsync(path, ["config", "--file", config, "--list", "--name-only", "-z"], timeout, cancellationToken).ConfigureAwait(false);
        var foreign = listing.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(key => !IsKept(key, remote))
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

        return removed;
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
}
