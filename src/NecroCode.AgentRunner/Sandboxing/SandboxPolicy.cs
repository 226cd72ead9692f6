using System.IO.Enumeration;

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
        folder == "/" || (path.StartsWith(folder, StringComparison.Ordinal) && (path.Length == folder.Length || path[folder.Length] == '/'));

    /// <summary>
    /// The folders and files to grant reading beneath so that everything under <paramref name="roots"/> is readable except
    /// the hidden paths: a root without a hidden path beneath it is one grant; otherwise its entries are walked, the hidden
    /// ones left out and the ones on the way to a hidden path walked in turn. Symbolic links get no grant (what they point
    /// at is granted, or not, where it lies). An entry created later beside a walked entry is not readable.
    /// </summary>
    /// <returns>Each grant's path and whether it is a folder.</returns>
    public List<(string Path, bool IsFolder)> ReadGrants(IEnumerable<string> roots)
    {
        var grants = new List<(string, bool)>();
        foreach (var root in roots)
        {
            Walk(root, Directory.Exists(root), grants);
        }

        return grants;
    }

    private void Walk(string path, bool isFolder, List<(string, bool)> grants)
    {
        if (Hidden.Any(h => IsWithin(path, h)))
        {
            return;
        }

        if (!isFolder || !Hidden.Any(h => IsWithin(h, path)))
        {
            grants.Add((path, isFolder));
            return;
        }

        List<(string Path, bool IsFolder)> entries;
        try
        {
            // The entry types come from the folder listing itself (no stat of each entry); links are left out.
            entries = [.. new FileSystemEnumerable<(string, bool)>(
                path,
                (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory),
                new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, RecurseSubdirectories = false })];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var (entry, entryIsFolder) in entries)
        {
            Walk(entry, entryIsFolder, grants);
        }
    }
}
