using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration;

/// <summary>An orchestrator over the Testing fakes, in a temp folder that is removed on dispose.</summary>
internal sealed class OrchestratorHarness : IDisposable
{
    private readonly TempFolder _folder = new("necrocode-orch-");

    public OrchestratorHarness(ICodingAgent? agent = null, ITestRunner? tests = null)
    {
        Root = _folder.Path;
        SlotPath = Path.Combine(Root, "slot-1");
        Directory.CreateDirectory(SlotPath);
        File.WriteAllText(Path.Combine(SlotPath, "README.md"), "hello\n");
        Slots.AddSlot("slot-1", SlotPath);
        Agent = agent ?? FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
        Tests = tests ?? new FakeTestRunner(TestOutcome.Passed);
        Options.WorkDirectory = Path.Combine(Root, "work");
    }

    private readonly List<ServiceProvider> _providers = [];

    public string Root { get; }

    public string SlotPath { get; }

    public FakeTaskRegistry Registry { get; set; } = new();

    public FakeSlotPool Slots { get; } = new();

    /// <summary>When set, the pool the orchestrator uses instead of <see cref="Slots"/>.</summary>
    public ISlotPool? SlotPool { get; set; }

    public FakeArtifactStore Artifacts { get; } = new();

    /// <summary>When set, the store the orchestrator uses instead of <see cref="Artifacts"/>.</summary>
    public IArtifactStore? ArtifactStore { get; set; }

    public FakeWorkspaceManager Workspace { get; } = new();

    public ICodingAgent Agent { get; set; }

    public ITestRunner Tests { get; set; }

    public SecretMaskerStub Masker { get; } = new();

    public List<IRunEventObserver> Observers { get; } = [];

    public AgentRunnerOptions Options { get; } = new();

    public ChangePolicyOptions Policy { get; } = new();

    public FakeBranchLock BranchLock { get; } = new();

    public CredentialOptions CredentialOptions { get; } = new();

    public NecroCode.AgentRunner.Credentials.RunCredentialsFactory Credentials => new(
        new EnvironmentCredentialProvider(Microsoft.Extensions.Options.Options.Create(CredentialOptions)),
        Microsoft.Extensions.Options.Options.Create(CredentialOptions),
        Masker,
        NullLogger<NecroCode.AgentRunner.Credentials.RunCredentials>.Instance);

    public IProcessRunner Processes { get; set; } = new NecroCode.AgentRunner.Processes.ProcessRunner(Microsoft.Extensions.Options.Options.Create(new NecroCode.AgentRunner.Processes.ProcessRunnerOptions()), TimeProvider.System, NullLogger<NecroCode.AgentRunner.Processes.ProcessRunner>.Instance);

    public FakeRunConcurrencyLimiter Limiter { get; set; } = new();

    /// <summary>The runner's clock; the system's unless a test sets another.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>When set, the limiter the orchestrator uses instead of <see cref="Limiter"/>.</summary>
    public IRunConcurrencyLimiter? RunLimiter { get; set; }

    public static TaskContext Task(string id = "1.1") => new()
    {
        TaskId = id,
        SpecName = "demo",
        Title = "Add a feature",
        AcceptanceCriteria = ["It works"],
        TestCommands = ["true"],
    };

    /// <summary>The runner as <c>AddAgentRunner()</c> composes it, over this harness's fakes and options.</summary>
    public RunnerOrchestrator Create()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner();
        services.Replace(ServiceDescriptor.Singleton(Microsoft.Extensions.Options.Options.Create(Options)));
        services.Replace(ServiceDescriptor.Singleton<ITaskRegistry>(Registry));
        services.Replace(ServiceDescriptor.Singleton(SlotPool ?? Slots));
        services.Replace(ServiceDescriptor.Singleton(ArtifactStore ?? Artifacts));
        services.Replace(ServiceDescriptor.Singleton<IWorkspaceManager>(Workspace));
        services.Replace(ServiceDescriptor.Singleton(Agent));
        services.Replace(ServiceDescriptor.Singleton(Tests));
        services.Replace(ServiceDescriptor.Singleton<IBranchLock>(BranchLock));
        services.Replace(ServiceDescriptor.Singleton(RunLimiter ?? Limiter));
        services.Replace(ServiceDescriptor.Singleton<ISecretMasker>(Masker));
        services.Replace(ServiceDescriptor.Singleton(Processes));
        services.Replace(ServiceDescriptor.Singleton(new ChangePolicy(Microsoft.Extensions.Options.Options.Create(Policy), Masker)));
        services.Replace(ServiceDescriptor.Singleton(Credentials));
        services.Replace(ServiceDescriptor.Singleton(Time));
        foreach (var observer in Observers)
        {
            services.AddSingleton(observer);
        }

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<RunnerOrchestrator>();
    }

    public string ArtifactText(RunnerResult result, string name) =>
        System.Text.Encoding.UTF8.GetString(Artifacts.Content[result.Artifacts.Single(a => a.Name == name).Uri!]);

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        Limiter.Dispose();
        _folder.Dispose();
    }
}
