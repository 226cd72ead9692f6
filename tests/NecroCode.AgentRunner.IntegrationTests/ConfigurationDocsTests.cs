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
        var repository = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "NecroCode.AgentRunner.sln")))
        {
            repository = repository.Parent;
        }

        Assert.That(repository, Is.Not.Null, "the repository root was not found above the test folder");
        var committed = await File.ReadAllTextAsync(Path.Combine(repository!.FullName, "docs", "configuration.md"));
        var scratch = Directory.CreateTempSubdirectory("necrocode-docs-").FullName;
        try
        {
            var sources = Path.Combine(repository.FullName, "src");
            foreach (var file in Directory.EnumerateFiles(sources, "*Options.cs", SearchOption.AllDirectories))
            {
                Sandbox.Write(Path.Combine(scratch, "src"), Path.GetRelativePath(sources, file), await File.ReadAllTextAsync(file));
            }

            Sandbox.Write(Path.Combine(scratch, "docs"), "configuration.md", committed);

            var output = await Shell.RunAsync("python3", scratch, [Path.Combine(repository.FullName, "eng", "configuration-docs.py")]);

            Assert.That(output.ExitCode, Is.Zero, output.StandardError);
            Assert.That(await File.ReadAllTextAsync(Path.Combine(scratch, "docs", "configuration.md")), Is.EqualTo(committed),
                "docs/configuration.md is stale: run 'python3 eng/configuration-docs.py' at the repository root and commit the result.");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
