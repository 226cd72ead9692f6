using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// One of each fake, to swap in for every provider at once with
/// <see cref="FakesAgentRunnerBuilderExtensions.UseFakes"/> or
/// <see cref="FakesServiceCollectionExtensions.AddAgentRunnerFakes"/>, plus a fake clock and a temp folder of its own:
/// a runner composed over them runs a whole task in memory, writing only inside <see cref="Folder"/> (its work
/// directory and a default slot), which <see cref="Dispose"/> removes; set <see cref="Clock"/> for a fake clock. Keep the instance to script the fakes and
/// assert on what they recorded, or resolve it (or any single fake, by its class) from the service provider.
/// </summary>
/// <example>
/// <code>
/// using var fakes = new AgentRunnerFakes { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed) };
/// services.AddAgentRunner().UseFakes(fakes);
/// </code>
/// </example>
public sealed class AgentRunnerFakes : IDisposable
{
    /// <summary>When <see cref="Clock"/> starts: 2025-01-01 00:00 UTC.</summary>
    public static readonly DateTimeOffset ClockStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lazy<string> _folder = new(() => Directory.CreateTempSubdirectory("necrocode-fakes-").FullName);
    private FakeTaskRegistry? _registry;
    private bool _disposed;

    /// <summary>
    /// The runner's clock when set (registered as <see cref="TimeProvider"/>, and the default registry's): a
    /// <see cref="FakeTimeProvider"/> (start it at <see cref="ClockStart"/>) moves only when the test advances it, so
    /// durations, timestamps and lease expiry are the test's to decide. Default none: the runner keeps the system clock,
    /// because a real provider composed beside the fakes (a real store that retries, a lock that waits) would wait on a
    /// fake clock until the test advanced it.
    /// </summary>
    public FakeTimeProvider? Clock { get; init; }

    /// <summary>
    /// A temp folder of this set, created on first use: the runner's work directory (<c>work/</c>, unless the host sets
    /// one) and the folder of the default slot (<c>slots/slot-1/</c>, added when the test adds no slot of its own).
    /// Removed by <see cref="Dispose"/>.
    /// </summary>
    public string Folder => _folder.Value;
    /// <summary>The <see cref="ITaskRegistry"/>; by default one on <see cref="Clock"/> (the system clock when none is set).</summary>
    public FakeTaskRegistry Registry
    {
        get => _registry ??= new FakeTaskRegistry(Clock);
        init => _registry = value;
    }

    /// <summary>The <see cref="ITaskQueue"/>; by default a queue over <see cref="Registry"/>.</summary>
    public FakeTaskQueue Queue
    {
        get => _queue ??= new FakeTaskQueue(Registry);
        init => _queue = value;
    }

    private FakeTaskQueue? _queue;

    /// <summary>The <see cref="ISlotPool"/>; when the test adds no slot before the fakes are registered, one (<c>slot-1</c> in <see cref="Folder"/>).</summary>
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Slots.Count == 0)
        {
            Slots.AddSlot("slot-1", Directory.CreateDirectory(Path.Combine(Folder, "slots", "slot-1")).FullName);
        }

        if (Clock is not null)
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        }

        services.PostConfigure<AgentRunnerOptions>(o => o.WorkDirectory ??= Path.Combine(Folder, "work"));
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

    /// <summary>Removes <see cref="Folder"/> with everything the runner wrote there; the fakes' records stay readable.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_folder.IsValueCreated && Directory.Exists(_folder.Value))
        {
            Directory.Delete(_folder.Value, recursive: true);
        }
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
