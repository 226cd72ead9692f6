using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Git;
using NecroCode.AgentRunner.Kiro;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
public sealed class CompositionTests
{
    [Test]
    public void AddAgentRunner_WithGit_EveryServiceResolves()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseGit().UseCommandAgent(o => o.Command = "/bin/true");
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<RunnerOrchestrator>(), Is.Not.Null);
            Assert.That(provider.GetRequiredService<IWorkspaceManager>(), Is.TypeOf<GitWorkspaceManager>());
            Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.TypeOf<FileSystemTaskRegistry>());
            Assert.That(provider.GetRequiredService<ICodingAgent>(), Is.TypeOf<CommandCodingAgent>());
            Assert.That(provider.GetRequiredService<IExecutionEnvironment>().Name, Is.EqualTo("local"));
        });
    }

    [Test]
    public void AddAgentRunner_ConsumerRegisteredRegistry_IsKept()
    {
        var registry = new FakeTaskRegistry();
        var services = new ServiceCollection();
        services.AddSingleton<ITaskRegistry>(registry);
        services.AddAgentRunner().UseGit();

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.Not.SameAs(registry), "UseFileSystem (called by AddAgentRunner) takes the registry slot");
    }

    [Test]
    public void AddAgentRunner_ReplaceAfterwards_ConsumerProviderWins()
    {
        var registry = new FakeTaskRegistry();
        var services = new ServiceCollection();
        services.AddAgentRunner().UseGit();
        services.AddSingleton<ITaskRegistry>(registry);

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.SameAs(registry));
    }

    [Test]
    public void UseKiro_ReplacesTheAgent()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseGit().UseKiro(o => o.Model = "m");
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.That(provider.GetRequiredService<ICodingAgent>(), Is.TypeOf<KiroCodingAgent>());
    }

    [Test]
    public void AddAgentRunner_InvalidOptions_FailValidationNamingTheMember()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner(o => o.MaxFixAttempts = 99).UseGit(o => o.PushAttempts = 0);
        using var provider = services.BuildServiceProvider();

        var runner = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value);
        var git = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<GitOptions>>().Value);

        Assert.Multiple(() =>
        {
            Assert.That(runner!.Message, Does.Contain("MaxFixAttempts"));
            Assert.That(git!.Message, Does.Contain("PushAttempts"));
        });
    }

    [Test]
    public async Task AddAgentRunner_WithoutWorkspaceProvider_RunFailsWithAClearHint()
    {
        using var sandbox = await Infrastructure.Sandbox.CreateAsync();
        var services = new ServiceCollection();
        services.AddAgentRunner(o => o.WorkDirectory = sandbox.WorkPath).UseFileSystem(o => o.RootPath = sandbox.Root).UseCommandAgent(o => o.Command = "/bin/true");
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<RunnerOrchestrator>().RunAsync(Infrastructure.RunnerFactory.Task(), CancellationToken.None);

        Assert.That(result.Error!.Message, Does.Contain("UseGit()"));
    }
}
