namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// The result files in a workspace before a test run (path, size and write time), so that only the files the run
/// wrote are read after it — whatever the clocks say.
/// </summary>
internal sealed class ResultFileSnapshot
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "node_modules" };

    private readonly Dictionary<string, (long Length, DateTime Written)> _files;

    private ResultFileSnapshot(string workspace, Dictionary<string, (long, DateTime)> files)
    {
        Workspace = workspace;
        _files = files;
    }

    /// <summary>The workspace the snapshot is of.</summary>
    public string Workspace { get; }

    /// <summary>Takes the snapshot of the result files in <paramref name="workspace"/>.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="globs">Which files are result files.</param>
    /// <returns>The snapshot.</returns>
    public static ResultFileSnapshot Take(string workspace, ResultGlobs globs) =>
        new(workspace, Find(workspace, globs).ToDictionary(f => f.FullName, f => (f.Length, f.LastWriteTimeUtc), StringComparer.Ordinal));

    /// <summary>The result files written since the snapshot: new ones, and ones whose size or write time changed.</summary>
    /// <param name="globs">Which files are result files.</param>
    /// <returns>The files, in path order, with whether each is new.</returns>
    public IReadOnlyList<(FileInfo File, bool IsNew)> Written(ResultGlobs globs) =>
        [.. Find(Workspace, globs)
            .Where(f => !_files.TryGetValue(f.FullName, out var before) || before.Length != f.Length || before.Written != f.LastWriteTimeUtc)
            .Select(f => (f, !_files.ContainsKey(f.FullName)))
            .OrderBy(f => f.f.FullName, StringComparer.Ordinal)];

    /// <summary>The path of <paramref name="file"/> relative to the workspace, with <c>/</c>.</summary>
    /// <param name="file">A file in the workspace.</param>
    /// <returns>The relative path.</returns>
    public string Relative(FileInfo file) => Path.GetRelativePath(Workspace, file.FullName).Replace('\\', '/');

    private static IEnumerable<FileInfo> Find(string workspace, ResultGlobs globs)
    {
        if (!Directory.Exists(workspace))
        {
            yield break;
        }

        var folders = new Stack<DirectoryInfo>([new DirectoryInfo(workspace)]);
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            foreach (var entry in folder.EnumerateFileSystemInfos("*", options))
            {
                if (entry is DirectoryInfo child)
                {
                    if (!SkippedFolders.Contains(child.Name))
                    {
                        folders.Push(child);
                    }
                }
                else if (entry is FileInfo file && globs.IsMatch(Path.GetRelativePath(workspace, file.FullName).Replace('\\', '/')))
                {
                    yield return file;
                }
            }
        }
    }
}
