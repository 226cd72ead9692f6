namespace NecroCode.AgentRunner.Git;

/// <summary>
/// The git configuration and hooks of a slot as <see cref="GitWorkspaceManager.PrepareAsync"/> left them, before
/// the agent ran. The agent works in the slot and could plant settings that redirect the runner's authenticated
/// push (<c>remote.origin.pushurl</c>, <c>url.*.insteadOf</c>, <c>http.proxy</c>, an <c>include.path</c> …) or
/// hooks; the push compares the effective configuration with this snapshot and is refused when it changed, and
/// rollback restores <c>.git/config</c> and <c>.git/hooks</c> from it.
/// </summary>
internal sealed class SlotSnapshot
{
    private readonly byte[]? _config;
    private readonly Dictionary<string, (byte[] Content, UnixFileMode Mode)> _hooks;

    private SlotSnapshot(string gitDirectory, byte[]? config, string effectiveConfig, Dictionary<string, (byte[] Content, UnixFileMode Mode)> hooks)
    {
        GitDirectory = gitDirectory;
        _config = config;
        EffectiveConfig = effectiveConfig;
        _hooks = hooks;
    }

    /// <summary>The slot's git directory when it was prepared.</summary>
    public string GitDirectory { get; }

    /// <summary>
    /// Every setting git applies in the slot with the file it comes from (<c>git config --list --show-origin</c>):
    /// system, global, the slot's own and included files.
    /// </summary>
    public string EffectiveConfig { get; }

    private string ConfigPath => Path.Combine(GitDirectory, "config");

    private string HooksPath => Path.Combine(GitDirectory, "hooks");

    /// <summary>Takes the snapshot.</summary>
    /// <param name="git">Runs git.</param>
    /// <param name="path">The slot's working directory.</param>
    /// <param name="gitDirectory">The slot's git directory.</param>
    /// <param name="timeout">Longest the configuration listing may run.</param>
    /// <param name="sanitized">
    /// What the preparation's sanitizing listed: its listing is taken as the effective configuration when there is one
    /// and <c>.git/config</c> is still what it was then (no git process is started).
    /// </param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="WorkspaceException">git cannot read the slot's configuration.</exception>
    public static async Task<SlotSnapshot> TakeAsync(GitCli git, string path, string gitDirectory, TimeSpan timeout, SanitizedConfiguration? sanitized, CancellationToken cancellationToken)
    {
        var configPath = Path.Combine(gitDirectory, "config");
        var config = File.Exists(configPath) ? await File.ReadAllBytesAsync(configPath, cancellationToken).ConfigureAwait(false) : null;
        var listing = sanitized is { Listing: { } listed, Config: { } before } && config is not null && config.AsSpan().SequenceEqual(before)
            ? listed
            : (await git.RunCheckedAsync(path, ListArguments, timeout, cancellationToken).ConfigureAwait(false)).StandardOutput;
        return new SlotSnapshot(gitDirectory, config, listing, ReadHooks(Path.Combine(gitDirectory, "hooks")));
    }

    /// <summary>
    /// Lists the settings (name and the file they come from, never their values) that were added, removed or
    /// changed since the snapshot; empty when the configuration is the same.
    /// </summary>
    /// <param name="git">Runs git.</param>
    /// <param name="path">The slot's working directory.</param>
    /// <param name="timeout">Longest the configuration listing may run.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The changes, for a message.</returns>
    public async Task<IReadOnlyList<string>> FindConfigChangesAsync(GitCli git, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var listing = await git.RunAsync(path, ListArguments, null, timeout, cancellationToken).ConfigureAwait(false);
        if (!listing.Succeeded)
        {
            return [$"git cannot read the configuration any more ({GitErrors.Mask(listing.StandardError.Trim())})"];
        }

        if (string.Equals(listing.StandardOutput, EffectiveConfig, StringComparison.Ordinal))
        {
            return [];
        }

        var before = Entries(EffectiveConfig);
        var after = Entries(listing.StandardOutput);
        var changes = new List<string>();
        foreach (var entry in after.Except(before).Distinct())
        {
            changes.Add(GitErrors.Mask($"{entry.Key} set in {entry.Origin}"));
        }

        foreach (var entry in before.Except(after).Distinct())
        {
            changes.Add(GitErrors.Mask($"{entry.Key} removed from {entry.Origin}"));
        }

        return changes.Count > 0 ? changes : ["the order of the settings changed"];
    }

    /// <summary>Writes the snapshot's <c>.git/config</c> back when the file differs from it.</summary>
    /// <returns>Whether the file was restored.</returns>
    public bool RestoreConfig()
    {
        var path = ConfigPath;
        if (_config is null || (new FileInfo(path) is { Exists: true, LinkTarget: null } && File.ReadAllBytes(path).AsSpan().SequenceEqual(_config)))
        {
            return false;
        }

        Replace(path, _config, mode: null);
        return true;
    }

    /// <summary>Makes <c>.git/hooks</c> what it was: removes hooks that were added, rewrites those changed or removed.</summary>
    /// <returns>The hooks (relative paths) that were removed or rewritten.</returns>
    public IReadOnlyList<string> RestoreHooks()
    {
        var root = HooksPath;
        var restored = new List<string>();
        if (Directory.Exists(root) && new DirectoryInfo(root).LinkTarget is null)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }))
            {
                var name = Path.GetFileName(entry);
                var info = new FileInfo(entry);
                if (info.LinkTarget is null && Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                    restored.Add(name);
                }
                else if (!_hooks.TryGetValue(name, out var hook))
                {
                    File.Delete(entry);
                    restored.Add(name);
                }
                else if (info.LinkTarget is not null || !File.ReadAllBytes(entry).AsSpan().SequenceEqual(hook.Content) || !SameMode(entry, hook.Mode))
                {
                    Replace(entry, hook.Content, hook.Mode);
                    restored.Add(name);
                }
            }
        }
        else if (Path.Exists(root))
        {
            File.Delete(root);
        }

        foreach (var (name, hook) in _hooks)
        {
            var entry = Path.Combine(root, name);
            if (!File.Exists(entry))
            {
                Directory.CreateDirectory(root);
                Replace(entry, hook.Content, hook.Mode);
                restored.Add(name);
            }
        }

        return restored;
    }

    private static readonly string[] ListArguments = ["config", "--list", "--show-origin", "-z"];

    private static List<(string Origin, string Key, string Value)> Entries(string listing)
    {
        // -z: "origin\0key\nvalue\0" per setting.
        var parts = listing.Split('\0');
        var entries = new List<(string, string, string)>(parts.Length / 2);
        for (var i = 0; i + 1 < parts.Length; i += 2)
        {
            var newline = parts[i + 1].IndexOf('\n', StringComparison.Ordinal);
            entries.Add(newline < 0 ? (parts[i], parts[i + 1], "") : (parts[i], parts[i + 1][..newline], parts[i + 1][(newline + 1)..]));
        }

        return entries;
    }

    private static Dictionary<string, (byte[] Content, UnixFileMode Mode)> ReadHooks(string root)
    {
        var hooks = new Dictionary<string, (byte[], UnixFileMode)>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return hooks;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }))
        {
            hooks[Path.GetFileName(file)] = (File.ReadAllBytes(file), OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(file));
        }

        return hooks;
    }

    private static bool SameMode(string path, UnixFileMode mode) => OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == mode;

    /// <summary>Replaces <paramref name="path"/> (a file or a link, which is not followed) with <paramref name="content"/>.</summary>
    private static void Replace(string path, byte[] content, UnixFileMode? mode)
    {
        var temporary = path + ".necrocode-restore";
        File.Delete(temporary);
        File.WriteAllBytes(temporary, content);
        if (mode is { } unixMode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, unixMode);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
