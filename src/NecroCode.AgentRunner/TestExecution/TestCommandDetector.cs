using System.Text.Json;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Finds the test command of a repository from marker files in its root. The first ecosystem found,
/// in this order, wins: .NET (<c>*.sln</c>, <c>*.slnx</c>, <c>*.csproj</c>, <c>*.fsproj</c>, <c>*.vbproj</c>), npm
/// (<c>package.json</c> with a real <c>test</c> script), pytest (pytest configuration or test files), Go
/// (<c>go.mod</c>), Cargo (<c>Cargo.toml</c>), Maven (<c>pom.xml</c>), Gradle (<c>build.gradle[.kts]</c>), make
/// (a makefile with a <c>test</c> target).
/// </summary>
internal static partial class TestCommandDetector
{
    /// <summary>What the detector looks for, for messages.</summary>
    public const string Looked =
        "*.sln/*.slnx/*.csproj/*.fsproj, package.json with a test script, pytest configuration or test_*.py files, go.mod, Cargo.toml, pom.xml, build.gradle(.kts), a Makefile with a test target";

    private const string NpmDefaultTestScript = "no test specified";

    private static readonly string[] ProjectPatterns = ["*.csproj", "*.fsproj", "*.vbproj"];
    private static readonly string[] MakefileNames = ["GNUmakefile", "makefile", "Makefile"];

    /// <summary>The detected command line, or null when nothing was recognised.</summary>
    /// <param name="workspace">The repository root.</param>
    /// <returns>A shell command line.</returns>
    public static string? Detect(string workspace)
    {
        if (!Directory.Exists(workspace))
        {
            return null;
        }

        return DetectDotnet(workspace)
            ?? DetectNpm(workspace)
            ?? DetectPytest(workspace)
            ?? (File.Exists(Path.Combine(workspace, "go.mod")) ? "go test ./..." : null)
            ?? (File.Exists(Path.Combine(workspace, "Cargo.toml")) ? "cargo test" : null)
            ?? (File.Exists(Path.Combine(workspace, "pom.xml")) ? "mvn -q test" : null)
            ?? DetectGradle(workspace)
            ?? DetectMake(workspace);
    }

    private static string? DetectDotnet(string workspace)
    {
        var solutions = Directory.GetFiles(workspace, "*.sln").Concat(Directory.GetFiles(workspace, "*.slnx")).Order(StringComparer.Ordinal).ToList();
        if (solutions.Count > 1)
        {
            // dotnet test refuses a folder with several solutions; take the first by name.
            return "dotnet test " + Quote(Path.GetFileName(solutions[0]));
        }

        if (solutions.Count == 1)
        {
            return "dotnet test";
        }

        var projects = ProjectPatterns.SelectMany(p => Directory.GetFiles(workspace, p)).ToList();
        return projects.Count switch
        {
            0 => null,
            1 => "dotnet test",
            _ => "dotnet test " + Quote(Path.GetFileName(projects.Order(StringComparer.Ordinal).First())),
        };
    }

    private static string? DetectNpm(string workspace)
    {
        var path = Path.Combine(workspace, "package.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("scripts", out var scripts)
                && scripts.ValueKind == JsonValueKind.Object
                && scripts.TryGetProperty("test", out var test)
                && test.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(test.GetString())
                && !test.GetString()!.Contains(NpmDefaultTestScript, StringComparison.Ordinal)
                ? "npm test"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? DetectPytest(string workspace)
    {
        bool Has(string name) => File.Exists(Path.Combine(workspace, name));
        bool Holds(string name, string text) => Has(name) && File.ReadAllText(Path.Combine(workspace, name)).Contains(text, StringComparison.Ordinal);

        var configured = Has("pytest.ini") || Has("conftest.py")
            || Holds("pyproject.toml", "[tool.pytest") || Holds("setup.cfg", "[tool:pytest]") || Holds("tox.ini", "[pytest]");
        if (configured || HasPythonTests(workspace) || HasPythonTests(Path.Combine(workspace, "tests")) || HasPythonTests(Path.Combine(workspace, "test")))
        {
            return "python -m pytest";
        }

        return null;
    }

    private static bool HasPythonTests(string folder) =>
        Directory.Exists(folder)
        && (Directory.EnumerateFiles(folder, "test_*.py").Any() || Directory.EnumerateFiles(folder, "*_test.py").Any());

    private static string? DetectGradle(string workspace)
    {
        if (!File.Exists(Path.Combine(workspace, "build.gradle")) && !File.Exists(Path.Combine(workspace, "build.gradle.kts")))
        {
            return null;
        }

        return File.Exists(Path.Combine(workspace, "gradlew")) ? "./gradlew test" : "gradle test";
    }

    private static string? DetectMake(string workspace)
    {
        foreach (var name in MakefileNames)
        {
            var path = Path.Combine(workspace, name);
            if (File.Exists(path) && File.ReadLines(path).Any(line => TestTarget().IsMatch(line)))
            {
                return "make test";
            }
        }

        return null;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^(?:[^:=#\s]+\s+)*test(?:\s+[^:=#\s]+)*\s*:(?!=)")]
    private static partial Regex TestTarget();
}
