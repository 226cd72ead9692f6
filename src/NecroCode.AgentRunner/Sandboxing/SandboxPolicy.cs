namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>What one confined process may do: every path absolute, real (symbolic links resolved) and existing.</summary>
/// <param name="Writable">Folders it may read and write beneath (the workspace, its private folder, the extras).</param>
/// <param name="Hidden">Folders and files it may not read (secrets, the runner's state), unless inside <paramref name="Writable"/>.</param>
/// <param name="Readable">The folders it may read beneath; null: the whole file system except <paramref name="Hidden"/>.</param>
/// <param name="Network">The network it may use.</param>
internal sealed record SandboxPolicy(IReadOnlyList<string> Writable, IReadOnlyList<string> Hidden, IReadOnlyList<string>? Readable, SandboxNetwork Network)
{
    /// <summary>The system folders read when reading elsewhere is off.</summary>
    public static readonly IReadOnlyList<string> SystemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/dev", "/proc", "/sys", "/run"];

    /// <summary>Device files every process may write to (the shells redirect to them).</summary>
    public static readonly IReadOnlyList<string> Devices = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/pts"];

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or beneath it.</summary>
    public static bool IsWithin(string path, string folder) =>
        path == folder || folder == "/" || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    /// <summary>
    /// The folders and files to grant reading beneath so that everything under <paramref name="roots"/> is readable except
    /// the hidden paths: a root without a hidden path beneath it is one grant; otherwise its entries are walked, the hidden
    /// ones left out and the ones on the way to a hidden path walked in turn. Symbolic links get no grant (what they point
    /// at is granted, or not, where it lies). An entry created later beside a walked entry is not readable.
    /// </summary>
    public IEnumerable<string> ReadGrants(IEnumerable<string> roots) => roots.SelectMany(Walk);

    private IEnumerable<string> Walk(string path)
    {
        if (Hidden.Any(h => IsWithin(path, h)))
        {
            yield break;
        }

        if (!Hidden.Any(h => IsWithin(h, path)))
        {
            yield return path;
            yield break;
        }

        IEnumerable<string> entries;
        try
        {
            entries = [.. Directory.EnumerateFileSystemEntries(path)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            FileSystemInfo info = new FileInfo(entry);
            if (info.LinkTarget is not null)
            {
                continue;
            }

            foreach (var grant in Walk(entry))
            {
                yield return grant;
            }
        }
    }
}
