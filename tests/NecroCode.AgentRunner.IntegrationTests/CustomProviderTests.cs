using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>samples/CustomProvider runs a real task with its own artifact store in place of the built-in one.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CustomProviderTests
{
    [Test]
    public async Task Program_RunsATask_ArtifactsAreStoredInTheContentAddressedStore()
    {
        using var folder = new TempFolder("necrocode-custom-provider-");
        var repository = await GreetingRepository.CreateAsync(folder);
        var root = folder.CreateFolder("root");

        var output = await Shell.RunAsync("dotnet", folder.Path, [GreetingRepository.ProgramPath("CustomProvider"), repository.Origin, repository.Agent, root], timeout: TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.StartWith("Succeeded: branch feature/task-greeting-1"));
            Assert.That(output.StandardOutput, Does.Contain("cas://artifacts/greeting/1/"), "the run's artifacts carry the custom store's URIs");
            Assert.That(Directory.GetFiles(Path.Combine(root, "cas", "blobs")), Is.Not.Empty);
            Assert.That(Directory.Exists(Path.Combine(root, "artifacts")), Is.False, "the built-in store is not used");
        });
    }
}
