using System.Text.RegularExpressions;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>The README's "Embedding it" program is samples/BasicRunnerUsage, and it runs a real task on a fresh root.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class BasicRunnerUsageTests
{
    private static string ProgramPath => GreetingRepository.ProgramPath("BasicRunnerUsage");

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
        var repository = await GreetingRepository.CreateAsync(folder);
        var root = folder.CreateFolder("root");

        var output = await Shell.RunAsync("dotnet", folder.Path, [ProgramPath, repository.Origin, repository.Agent, root], timeout: TimeSpan.FromMinutes(5));

        Assert.Multiple(async () =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.StartWith("Succeeded: branch feature/task-greeting-1 at "));
            Assert.That(await Shell.GitAsync(repository.Origin, "show", "feature/task-greeting-1:greet.sh"), Does.Contain(GreetingRepository.FixedGreeting));
            Assert.That(Directory.Exists(Path.Combine(root, "slots", "slot-1", ".git")), Is.True);
        });
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstCSharpBlock();
}
