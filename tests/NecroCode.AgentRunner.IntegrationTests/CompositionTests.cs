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
            Assert.That(provider.GetRequiredService<IAgentRunner>(), Is.TypeOf<RunnerOrchestrator>());
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

        Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.SameAs(registry), "AddAgentRunner adds its defaults with TryAdd only");
    }

    [Test]
    public void AddAgentRunner_ConsumerRegistersRegistryAfter_ItIsTheOneResolved()
    {
        var registry = new FakeTaskRegistry();
        var services = new ServiceCollection();
        services.AddAgentRunner().UseGit();
        services.AddSingleton<ITaskRegistry>(registry);

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.SameAs(registry));
    }

    [Test]
    public void AddAgentRunner_ConsumerRegisteredRunner_IsKept()
    {
        var runner = NSubstitute.Substitute.For<IAgentRunner>();
        var services = new ServiceCollection();
        services.AddSingleton(runner);
        services.AddAgentRunner().UseGit();

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IAgentRunner>(), Is.SameAs(runner));
    }

    [Test]
    public void AddAgentRunner_CalledTwice_ResolvesOneOfEachService()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseGit();
        services.AddAgentRunner();

        Assert.Multiple(() =>
        {
            Assert.That(services.Count(d => d.ServiceType == typeof(IAgentRunner)), Is.EqualTo(1));
            Assert.That(services.Count(d => d.ServiceType == typeof(ITaskRegistry)), Is.EqualTo(1));
            Assert.That(services.Count(d => d.ServiceType == typeof(ICodingAgent)), Is.EqualTo(1));
        });
    }

    [Test]
    public void AddAgentRunner_ConsumerRegisteredEveryProviderBefore_EachIsKept()
    {
        var services = new ServiceCollection();
        var registry = new FakeTaskRegistry();
        var pool = new FakeSlotPool();
        var store = new FakeArtifactStore();
        var branchLock = new FakeBranchLock();
        var agent = new FakeCodingAgent((_, _) => Task.FromResult(new AgentResult(true, 0)));
        var tests = new FakeTestRunner();
        var limiter = new FakeRunConcurrencyLimiter();
        services.AddSingleton<ITaskRegistry>(registry).AddSingleton<ISlotPool>(pool).AddSingleton<IArtifactStore>(store)
            .AddSingleton<IBranchLock>(branchLock).AddSingleton<ICodingAgent>(agent).AddSingleton<ITestRunner>(tests)
            .AddSingleton<IRunConcurrencyLimiter>(limiter);
        services.AddAgentRunner();

        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.SameAs(registry));
            Assert.That(provider.GetRequiredService<ISlotPool>(), Is.SameAs(pool));
            Assert.That(provider.GetRequiredService<IArtifactStore>(), Is.SameAs(store));
            Assert.That(provider.GetRequiredService<IBranchLock>(), Is.SameAs(branchLock));
            Assert.That(provider.GetRequiredService<ICodingAgent>(), Is.SameAs(agent));
            Assert.That(provider.GetRequiredService<ITestRunner>(), Is.SameAs(tests));
            Assert.That(provider.GetRequiredService<IRunConcurrencyLimiter>(), Is.SameAs(limiter));
            Assert.That(services.Count(d => d.ServiceType == typeof(ITaskRegistry)), Is.EqualTo(1), "no second registration hides behind the first");
        });
    }

    [Test]
    public void UseFileSystem_AfterAConsumerRegistry_ReplacesItDeliberately()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITaskRegistry>(new FakeTaskRegistry());
        services.AddAgentRunner().UseFileSystem().UseGit();

        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.TypeOf<FileSystemTaskRegistry>());
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
