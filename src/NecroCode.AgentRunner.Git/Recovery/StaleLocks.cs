using System.Diagnostics;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Finds <c>*.lock</c> files in a git directory and tells whether a live git process may still hold
/// them. On Linux the process table (<c>/proc</c>) is read: a lock counts as held while a git process
/// runs with its working directory inside the slot. Elsewhere any running git process counts as a
/// possible holder (conservative: a lock is only removed when no git runs at all).
/// </summary>
internal static class StaleLocks
{
    /// <summary>Every lock file under <paramref name="gitDirectory"/>, objects excluded.</summary>
    /// <param name="gitDirectory">The repository's git directory.</param>
    /// <returns>The lock files' full paths.</returns>
    public static IReadOnlyList<string> Find(string gitDirectory)
    {
        var locks = new List<string>();
        if (!Directory.Exists(gitDirectory))
        {
            return locks;
        }

        locks.AddRange(Directory.EnumerateFiles(gitDirectory, "*.lock", SearchOption.TopDirectoryOnly));
        foreach (var folder in new[] { "refs", "logs", "worktrees" })
        {
            var path = Path.Combine(gitDirectory, folder);
            if (Directory.Exists(path))
            {
                locks.AddRange(Directory.EnumerateFiles(path, "*.lock", SearchOption.AllDirectories));
            }
        }

        return locks;
    }

    /// <summary>The id of a live git process that may hold locks of the slot, or null when there is none.</summary>
    /// <param name="workingDirectory">The slot's working directory.</param>
    /// <param name="gitDirectory">The slot's git directory.</param>
    /// <returns>A process id, or null.</returns>
    public static int? FindLiveHolder(string workingDirectory, string gitDirectory)
    {
        if (OperatingSystem.IsLinux() && Directory.Exists("/proc"))
        {
            return FindLiveHolderOnLinux(Normalize(workingDirectory), Normalize(gitDirectory));
        }

        var processes = Process.GetProcessesByName("git");
        try
        {
            return processes.Length > 0 ? processes[0].Id : null;
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    private static int? FindLiveHolderOnLinux(string workingDirectory, string gitDirectory)
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var command = File.ReadAllText(Path.Combine(entry, "comm")).Trim();
                if (!command.StartsWith("git", StringComparison.Ordinal))
                {
                    continue;
                }

                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget;
                if (cwd is not null && (IsUnder(Normalize(cwd), workingDirectory) || IsUnder(Normalize(cwd), gitDirectory)))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended or belongs to someone else; it cannot be working in our slot.
            }
        }

        return null;
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool IsUnder(string path, string root) =>
        path.Equals(root, StringComparison.Ordinal) || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
