using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// One of each fake, to swap in for every provider at once with
/// <see cref="FakesAgentRunnerBuilderExtensions.UseFakes"/> or
/// <see cref="FakesServiceCollectionExtensions.AddAgentRunnerFakes"/>. Keep the instance to script the fakes and
/// assert on what they recorded, or resolve it (or any single fake, by its class) from the service provider.
/// </summary>
/// <example>
/// <code>
/// var fakes = new AgentRunnerFakes { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed) };
/// fakes.Slots.AddSlot("slot-1", slotFolder);
/// services.AddAgentRunner().UseFakes(fakes);
/// </code>
/// </example>
public sealed class AgentRunnerFakes
{
    /// <summary>The <see cref="ITaskRegistry"/>.</summary>
    public FakeTaskRegistry Registry { get; init; } = new();

    /// <summary>The <see cref="ITaskQueue"/>; by default a queue over <see cref="Registry"/>.</summary>
    public FakeTaskQueue Queue
    {
        get => _queue ??= new FakeTaskQueue(Registry);
        init => _queue = value;
    }

    private FakeTaskQueue? _queue;

    /// <summary>The <see cref="ISlotPool"/>; it has no slots until the test adds them.</summary>
    public FakeSlotPool Slots { get; init; } = new();

    /// <summary>The <see cref="IArtifactStore"/>.</summary>
    public FakeArtifactStore Artifacts { get; init; } = new();

    /// <summary>The <see cref="IWorkspaceManager"/>.</summary>
    public FakeWorkspaceManager Workspace { get; init; } = new();

    /// <summary>The <see cref="ICodingAgent"/>; by default it writes <c>fake-change.txt</c> into the workspace and succeeds.</summary>
    public FakeCodingAgent Agent { get; init; } = FakeCodingAgent.Writing("fake-change.txt", "changed by the fake agent\n");

    /// <summary>The <see cref="ITestRunner"/>; by default every test run passes.</summary>
    public FakeTestRunner Tests { get; init; } = new();

    /// <summary>The <see cref="IBranchLock"/>.</summary>
    public FakeBranchLock BranchLock { get; init; } = new();

    /// <summary>The <see cref="IRunConcurrencyLimiter"/>; by default it limits nothing.</summary>
    public FakeRunConcurrencyLimiter Limiter { get; init; } = new();

    /// <summary>The <see cref="IProcessRunner"/>; by default every process exits with code 0 and prints nothing.</summary>
    public FakeProcessRunner Processes { get; init; } = new();

    /// <summary>The <see cref="ISecretMasker"/>; it masks exactly the values added to it.</summary>
    public FakeSecretMasker Masker { get; init; } = new();

    /// <summary>The <see cref="IPromptBuilder"/>; by default every prompt is <c>fake prompt</c>.</summary>
    public FakePromptBuilder Prompts { get; init; } = new();

    /// <summary>
    /// Registers the fakes as singletons: each in place of every registration of its role, and under its own class;
    /// and this instance.
    /// </summary>
    /// <param name="services">The service collection.</param>
    internal void Register(IServiceCollection services)
    {
        Replace<ITaskRegistry, FakeTaskRegistry>(services, Registry);
        Replace<ITaskQueue, FakeTaskQueue>(services, Queue);
        Replace<ISlotPool, FakeSlotPool>(services, Slots);
        Replace<IArtifactStore, FakeArtifactStore>(services, Artifacts);
        Replace<IWorkspaceManager, FakeWorkspaceManager>(services, Workspace);
        Replace<ICodingAgent, FakeCodingAgent>(services, Agent);
        Replace<ITestRunner, FakeTestRunner>(services, Tests);
        Replace<IBranchLock, FakeBranchLock>(services, BranchLock);
        Replace<IRunConcurrencyLimiter, FakeRunConcurrencyLimiter>(services, Limiter);
        Replace<IProcessRunner, FakeProcessRunner>(services, Processes);
        Replace<ISecretMasker, FakeSecretMasker>(services, Masker);
        Replace<IPromptBuilder, FakePromptBuilder>(services, Prompts);
        services.RemoveAll<AgentRunnerFakes>();
        services.AddSingleton(this);
    }

    private static void Replace<TRole, TFake>(IServiceCollection services, TFake fake)
        where TRole : class
        where TFake : class, TRole
    {
        services.RemoveAll<TRole>();
        services.RemoveAll<TFake>();
        services.AddSingleton<TRole>(fake);
        services.AddSingleton(fake);
    }
}
