namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Notices a <c>git push</c> made by the agent: git records every push that updates a remote-tracking ref in that
/// ref's reflog as <c>update by push</c> (<c>core.logAllRefUpdates</c>, on by default in a working repository).
/// The entries are counted before and after the agent; new ones name the refs it pushed. A push to a URL rather
/// than a configured remote updates no remote-tracking ref and is not seen.
/// </summary>
internal static class AgentPushDetector
{
    private const string PushMessage = "\tupdate by push";

    /// <summary>The number of push entries in each remote-tracking ref's reflog of the repository at <paramref name="workspacePath"/>.</summary>
    public static Dictionary<string, int> Snapshot(string workspacePath)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (GitDirectory(workspacePath) is not { } gitDirectory)
        {
            return counts;
        }

        var logs = Path.Combine(gitDirectory, "logs", "refs", "remotes");
        if (!Directory.Exists(logs))
        {
            return counts;
        }

        foreach (var file in Directory.EnumerateFiles(logs, "*", SearchOption.AllDirectories))
        {
            try
            {
                var pushes = File.ReadLines(file).Count(l => l.Contains(PushMessage, StringComparison.Ordinal));
                counts["refs/remotes/" + Path.GetRelativePath(logs, file).Replace('\\', '/')] = pushes;
            }
            catch (IOException)
            {
                // A reflog being rewritten is skipped; the next look sees it.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }

        return counts;
    }

    /// <summary>The remote-tracking refs with more push entries in <paramref name="after"/> than in <paramref name="before"/>, sorted.</summary>
    public static List<string> Pushed(Dictionary<string, int> before, Dictionary<string, int> after) =>
        [.. after.Where(e => e.Value > before.GetValueOrDefault(e.Key)).Select(e => e.Key).Order(StringComparer.Ordinal)];

    /// <summary>The repository's common git folder: <c>.git</c>, or the folder a <c>.git</c> file (worktree) points to and its <c>commondir</c>.</summary>
    private static string? GitDirectory(string workspacePath)
    {
        var dotGit = Path.Combine(workspacePath, ".git");
        if (Directory.Exists(dotGit))
        {
            return dotGit;
        }

        if (!File.Exists(dotGit))
        {
            return null;
        }

        try
        {
            var line = File.ReadLines(dotGit).FirstOrDefault(l => l.StartsWith("gitdir:", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }

            var gitDirectory = Path.GetFullPath(line["gitdir:".Length..].Trim(), workspacePath);
            var common = Path.Combine(gitDirectory, "commondir");
            return File.Exists(common) ? Path.GetFullPath(File.ReadAllText(common).Trim(), gitDirectory) : gitDirectory;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
