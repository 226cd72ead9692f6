namespace NecroCode.AgentRunner.TestUtilities;

/// <summary>The repository the tests were built from: its root holds <c>NecroCode.AgentRunner.sln</c>.</summary>
public static class SourceTree
{
    private static readonly Lazy<string> FoundRoot = new(FindRoot);

    /// <summary>The repository's root folder, found above the test's output folder.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the output holds the solution.</exception>
    public static string Root => FoundRoot.Value;

    /// <summary>A path in the repository.</summary>
    /// <param name="parts">The path's parts below the root, e.g. <c>"docs", "configuration.md"</c>.</param>
    /// <returns>The full path.</returns>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NecroCode.AgentRunner.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}
