using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>docs/configuration.md is what eng/configuration-docs.py generates from the options classes.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ConfigurationDocsTests
{
    [Test]
    public async Task Generator_OnTheCommittedSources_ReproducesTheCommittedDocument()
    {
        var committed = await File.ReadAllTextAsync(SourceTree.PathOf("docs", "configuration.md"));
        using var scratch = new TempFolder("necrocode-docs-");
        var sources = SourceTree.PathOf("src");
        foreach (var file in Directory.EnumerateFiles(sources, "*Options.cs", SearchOption.AllDirectories))
        {
            scratch.WriteFile(Path.Combine("src", Path.GetRelativePath(sources, file)), await File.ReadAllTextAsync(file));
        }

        scratch.WriteFile(Path.Combine("docs", "configuration.md"), committed);

        var output = await Shell.RunAsync("python3", scratch.Path, [SourceTree.PathOf("eng", "configuration-docs.py")]);

        Assert.That(output.ExitCode, Is.Zero, output.StandardError);
        Assert.That(await File.ReadAllTextAsync(scratch.Combine("docs", "configuration.md")), Is.EqualTo(committed),
            "docs/configuration.md is stale: run 'python3 eng/configuration-docs.py' at the repository root and commit the result.");
    }
}
