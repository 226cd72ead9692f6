using System.Reflection;
using System.Text.RegularExpressions;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>The README's "Embedding it" program is samples/BasicRunnerUsage, and it runs a real task on a fresh root.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class BasicRunnerUsageTests
{
    private static string ProgramPath =>
        typeof(BasicRunnerUsageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BasicRunnerUsagePath").Value!;

    [Test]
    public async Task Readme_EmbeddingSnippet_IsTheSampleProgramWordForWord()
    {
        var readme = await File.ReadAllTextAsync(SourceTree.PathOf("README.md"));
        var section = readme[readme.IndexOf("## Embedding it", StringComparison.Ordinal)..];
        var snippet = FirstCSharpBlock().Match(section);

        Assert.That(snippet.Success, Is.True, "README.md has no C# block under 'Embedding it'");
        Assert.That(snippet.Groups[1].Value, Is.EqualTo(await File.ReadAllTextAsync(SourceTree.PathOf("samples", "BasicRunnerUsage", "Program.cs"))),
            "README.md's 'Embedding it' program differs from samples/BasicRunnerUsage/Program.cs: copy the sample into the README.");
    }

    [Test]
    public async Task Program_OnAFreshRoot_AddsASlotFromTheRepositoryAndPushesTheTaskBranch()
    {
        using var folder = new TempFolder("necrocode-basic-usage-");
        var origin = folder.Combine("origin.git");
        var seed = folder.CreateFolder("seed");
        await Shell.GitAsync(folder.Path, "init", "--quiet", "--bare", "--initial-branch=main", origin);
        await Shell.GitAsync(folder.Path, "init", "--quiet", "--initial-branch=main", seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "greet.sh"), "#!/bin/sh\necho \"Hello!\"\n");
        await File.WriteAllTextAsync(Path.Combine(seed, "test.sh"), "#!/bin/sh\nset -e\n[ \"$(sh greet.sh Ada)\" = \"Hello, Ada!\" ]\n");
        await Shell.GitAsync(seed, "add", "--all");
        await Shell.GitAsync(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "Initial greeting");
        await Shell.GitAsync(seed, "push", "--quiet", origin, "main");
        var agent = folder.WriteFile("agent.sh", "#!/bin/sh\ncat >/dev/null\nprintf '#!/bin/sh\\necho \"Hello, $1!\"\\n' > greet.sh\n");
        File.SetUnixFileMode(agent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var root = folder.CreateFolder("root");

        var output = await Shell.RunAsync("dotnet", folder.Path, [ProgramPath, origin, agent, root], timeout: TimeSpan.FromMinutes(5));

        Assert.Multiple(async () =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.StartWith("Succeeded: branch feature/task-greeting-1 at "));
            Assert.That(await Shell.GitAsync(origin, "show", "feature/task-greeting-1:greet.sh"), Does.Contain("Hello, $1!"));
            Assert.That(Directory.Exists(Path.Combine(root, "slots", "slot-1", ".git")), Is.True);
        });
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstCSharpBlock();
}
