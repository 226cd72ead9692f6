using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Docker.Tests;

[TestFixture]
public sealed class DockerAgentRunnerBuilderExtensionsTests
{
    [Test]
    public async Task UseDocker_AfterAddAgentRunner_ReplacesTheExecutionEnvironment()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAgentRunner().UseDocker(o => o.Image = "necrocode-runner:test");
        await using var provider = services.BuildServiceProvider();

        var environment = provider.GetRequiredService<IExecutionEnvironment>();

        Assert.That(environment, Is.TypeOf<DockerExecutionEnvironment>());
        Assert.That(environment.Name, Is.EqualTo("docker"));
    }

    [Test]
    public async Task UseDocker_EmptyImage_FailsValidationNamingTheImage()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAgentRunner().UseDocker(o => o.Image = "");
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<DockerOptions>>().Value);

        Assert.That(ex!.Message, Does.Contain("Image"));
    }
}
