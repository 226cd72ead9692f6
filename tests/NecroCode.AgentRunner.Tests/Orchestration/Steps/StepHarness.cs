using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Budgets;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.State;
using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

/// <summary>
/// Builds run contexts in the states each step starts from, and each built-in step over the Testing fakes, in a
/// temp folder that is removed on dispose.
/// </summary>
internal sealed class StepHarness : IDisposable
{
    public const string RunnerId = "runner-steps";

    public const string Branch = "feature/task-demo-1.1";

    private readonly Dictionary<RunContext, RecordingObserver> _observers = [];

    public StepHarness(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Root = Directory.CreateTempSubdirectory("necrocode-steps-").FullName;
        SlotPath = Path.Combine(Root, "slot-1");
        Directory.CreateDirectory(SlotPath);
        File.WriteAllText(Path.Combine(SlotPath, "README.md"), "hello\n");
        Slots.AddSlot("slot-1", SlotPath);
        Options.WorkDirectory = Path.Combine(Root, "work");
        Journals = new RunJournalStore(Path.Combine(Root, "journal"));
        WorkspaceManager = Workspace;
        SlotPool = Slots;
    }

    public string Root { get; }

    /// <summary>The runner's budget settings the agent attempts use.</summary>
    public BudgetOptions Budgets { get; } = new();

    public string SlotPath { get; }

    public TimeProvider Time { get; }

    public FakeTaskRegistry Registry { get; } = new();

    public FakeSlotPool Slots { get; } = new();

    /// <summary>The pool the steps use: <see cref="Slots"/> unless a test replaces it.</summary>
    public ISlotPool SlotPool { get; set; }

    public FakeArtifactStore Artifacts { get; } = new();

    public FakeWorkspaceManager Workspace { get; } = new();

    /// <summary>The workspace manager the steps use: <see cref="Workspace"/> unless a test replaces it.</summary>
    public IWorkspaceManager WorkspaceManager { get; set; }

    public ICodingAgent Agent { get; set; } = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");

    public ITestRunner Tests { get; set; } = new FakeTestRunner(TestOutcome.Passed);

    public FakeBranchLock BranchLock { get; } = new();

    public SecretMaskerStub Masker { get; } = new();

    public AgentRunnerOptions Options { get; } = new();

    public ChangePolicyOptions Policy { get; } = new();

    public RunJournalStore Journals { get; }

    public static TaskContext NewTask() => OrchestratorHarness.Task();

    /// <summary>A run of <paramref name="task"/> as the orchestrator starts it: running, with its budget, nothing done yet.</summary>
    /// <param name="task">The task; <see cref="NewTask"/> when null.</param>
    /// <param name="previous">The journal of the killed run being resumed, if any.</param>
    /// <param name="host">The host's cancellation.</param>
    public RunContext Context(TaskContext? task = null, RunJournal? previous = null, CancellationToken host = default) => Context(Playbook.Default, task, previous, host);

    /// <summary>A run of <paramref name="task"/> following <paramref name="playbook"/>, as the orchestrator starts it.</summary>
    public RunContext Context(Playbook playbook, TaskContext? task = null, RunJournal? previous = null, CancellationToken host = default)
    {
        task ??= NewTask();
        var observer = new RecordingObserver();
        var channel = new RunEventChannel(RunnerId, task.TaskId, Masker, Time, [observer], NullLogger.Instance, runLog: null);
        var state = new RunnerStateMachine(Time);
        state.MoveTo(RunnerState.Running);
        var context = new RunContext(task, RunnerId, Branch, channel, state, Path.Combine(Root, "spool"))
        {
            Journals = Journals,
            Previous = previous,
            Playbook = playbook,
            TraceId = previous?.TraceId ?? "trace-" + Guid.NewGuid().ToString("N"),
            Budget = new RunBudget(task.Timeout, Time, host),
        };
        _observers[context] = observer;
        return context;
    }

    /// <summary>A fresh journal of <paramref name="task"/>'s run, as the register step starts it.</summary>
    public RunJournal NewJournal(TaskContext? task = null)
    {
        task ??= NewTask();
        return new RunJournal { RunnerId = RunnerId, SpecName = task.SpecName, TaskId = task.TaskId, Branch = Branch, StartedAt = Time.GetUtcNow() };
    }

    /// <summary>A run past the register step: the runner is registered, the task claimed, the journal started.</summary>
    public async Task<RunContext> ClaimedAsync(TaskContext? task = null, RunJournal? previous = null, CancellationToken host = default)
    {
        var context = Context(task, previous, host);
        await Registry.RegisterRunnerAsync(new RunnerRegistration(RunnerId, context.Key, Environment.MachineName, Environment.ProcessId, Time.GetUtcNow()), CancellationToken.None);
        await Registry.TryClaimTaskAsync(context.Key, RunnerId, CancellationToken.None);
        context.Registered = true;
        context.Claimed = true;
        context.Journal = previous is null ? NewJournal(context.Task) : previous with { Resumes = previous.Resumes + 1 };
        await Journals.WriteAsync(context.Journal, CancellationToken.None);
        return context;
    }

    /// <summary>A run past the prepare-workspace step: a slot of the pool is leased and prepared.</summary>
    public async Task<RunContext> PreparedAsync(TaskContext? task = null, RunJournal? previous = null, CancellationToken host = default)
    {
        var context = await ClaimedAsync(task, previous, host);
        context.Lease = await Slots.AcquireAsync(new SlotRequest(context.Key, RunnerId, null), CancellationToken.None);
        context.Workspace = await Workspace.PrepareAsync(new WorkspaceRequest(context.Lease.Path, Branch, context.Key, context.Events), CancellationToken.None);
        return context;
    }

    /// <summary>A run past the test step: the agent's change is in the workspace and the tests passed.</summary>
    public async Task<RunContext> TestedAsync(TaskContext? task = null)
    {
        var context = await PreparedAsync(task);
        await WriteAsync(context, "src/feature.txt", "implemented\n");
        context.Diff = await Workspace.GetDiffAsync(context.Workspace!.Path, context.Workspace.BaseCommit, CancellationToken.None);
        context.Tests = await new FakeTestRunner(TestOutcome.Passed).RunAsync(new TestRequest(context.Workspace.Path, context.Task.TestCommands, false, context.Events, PlaybookBuiltInSteps.Test), CancellationToken.None);
        context.TestsPassed = true;
        return context;
    }

    /// <summary>A run past the commit step.</summary>
    public async Task<RunContext> CommittedAsync(TaskContext? task = null)
    {
        var context = await TestedAsync(task);
        context.CommitId = await Workspace.CommitAsync(new CommitRequest(context.Workspace!.Path, "feat(task-1.1): Add a feature"), CancellationToken.None);
        return context;
    }

    /// <summary>Writes a file into the run's workspace, as an agent would.</summary>
    public static Task WriteAsync(RunContext context, string relativePath, string content)
    {
        var path = Path.Combine(context.Workspace?.Path ?? context.Lease!.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.WriteAllTextAsync(path, content);
    }

    /// <summary>Every event the run published, once the run's channel is completed (no event is published after).</summary>
    public async Task<IReadOnlyList<RunEvent>> EventsAsync(RunContext context)
    {
        await context.Events.CompleteAsync();
        return _observers[context].Events;
    }

    public Task<RunJournal?> StoredJournalAsync(RunContext context) => Journals.ReadAsync(context.Key, CancellationToken.None);

    public StepRunner StepRunner() => new(Masker, Time, NullLogger<StepRunner>.Instance);

    public RegisterStep Register() => new(Registry, new BranchOwnership(Registry), TaskEvents(), Leftovers(), MsOptions.Create(Options), Time, NullLogger<ClaimHeartbeat>.Instance);

    public LeftoverProcesses Leftovers() => new(Time, NullLogger<LeftoverProcesses>.Instance);

    public AcquireSlotStep AcquireSlot() => new(SlotPool, Leftovers());

    public PrepareWorkspaceStep PrepareWorkspace() => new(WorkspaceManager);

    public ImplementStep Implement() => new(Attempt(), Baseline());

    public TestRunnerOptions TestOptions { get; } = new();

    public TestBaseline Baseline() => new(Collector(), BaselineCache, WorkspaceManager, Credentials(), Masker, MsOptions.Create(TestOptions), MsOptions.Create(Options));

    public TestJudge Judge() => new(Collector(), Baseline(), Masker, MsOptions.Create(TestOptions));

    public BaselineCache BaselineCache => _baselineCache ??= new BaselineCache(Time);

    private BaselineCache? _baselineCache;

    private TestResultCollector Collector() => new(Tests, MsOptions.Create(TestOptions));

    public TestStep Test() => new(Judge(), Attempt(), StepRunner(), Credentials(), MsOptions.Create(Options));

    public CommitStep Commit() => new(WorkspaceManager, Changes(), Masker, MsOptions.Create(Options));

    public PushStep Push() => new(WorkspaceManager, BranchLock, Registry, MsOptions.Create(Options));

    public UploadArtifactsStep UploadArtifacts() =>
        new(new ArtifactRecorder(Artifacts, Registry, Masker, MsOptions.Create(Options), Time, NullLogger<ArtifactRecorder>.Instance), Masker);

    public ReportStep Report() => new(Registry, TaskEvents());

    public ReleaseSlotStep ReleaseSlot() => new(SlotPool, WorkspaceManager, Registry, Masker, NullLogger<ReleaseSlotStep>.Instance);

    private AgentAttempt Attempt() =>
        new(Agent, new DefaultPromptBuilder(), WorkspaceManager, new DependencyResults(Registry), Changes(), Masker, MsOptions.Create(Options), Time, new BudgetResolver(MsOptions.Create(Budgets)));

    private ChangeCheck Changes() => new(new ChangePolicy(MsOptions.Create(Policy), Masker));

    private TaskEventWriter TaskEvents() => new(Registry, Masker, Time);

    private RunCredentialsFactory Credentials()
    {
        var options = MsOptions.Create(new CredentialOptions());
        return new RunCredentialsFactory(new EnvironmentCredentialProvider(options), options, Masker, NullLogger<RunCredentials>.Instance);
    }

    public void Dispose()
    {
        foreach (var context in _observers.Keys)
        {
            context.Events.CompleteAsync().GetAwaiter().GetResult();
            context.Budget?.Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Keeps every event a run's channel delivers.</summary>
    private sealed class RecordingObserver : IRunEventObserver
    {
        private readonly List<RunEvent> _events = [];

        public IReadOnlyList<RunEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void OnEvent(RunEvent runEvent)
        {
            lock (_events)
            {
                _events.Add(runEvent);
            }
        }
    }
}
