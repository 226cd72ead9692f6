using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.State;
using NecroCode.AgentRunner.Telemetry;

using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Carries one task from "assigned" to "pushed branch + recorded result": validate, register, acquire
/// and prepare a workspace, implement, test, commit, push, upload artifacts, report, release the slot.
/// The slot is released on every path; only a passing test run reaches commit and push.
/// </summary>
public sealed partial class RunnerOrchestrator
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(2);

    private readonly ITaskRegistry _registry;
    private readonly ISlotPool _slots;
    private readonly IArtifactStore _artifacts;
    private readonly IWorkspaceManager _workspace;
    private readonly ICodingAgent _agent;
    private readonly ITestRunner _tests;
    private readonly IPromptBuilder _prompts;
    private readonly ChangePolicy _policy;
    private readonly IBranchLock _branchLock;
    private readonly IRunConcurrencyLimiter _limiter;
    private readonly CommandStepRunner _commands;
    private readonly RunCredentialsFactory _credentials;
    private readonly ISecretMasker _masker;
    private readonly IReadOnlyList<IRunEventObserver> _observers;
    private readonly AgentRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<PipelineStep> _pipeline;
    private readonly Dictionary<string, PipelineStep> _builtIns;

    /// <summary>Creates an orchestrator over its providers.</summary>
    /// <param name="registry">The task registry.</param>
    /// <param name="slots">The slot pool.</param>
    /// <param name="artifacts">The artifact store.</param>
    /// <param name="workspace">The workspace manager.</param>
    /// <param name="agent">The coding agent.</param>
    /// <param name="tests">The test runner.</param>
    /// <param name="prompts">The prompt builder.</param>
    /// <param name="policy">The guard rails every change is checked against.</param>
    /// <param name="branchLock">Keeps two runners from pushing one branch at once.</param>
    /// <param name="limiter">Bounds how many runs execute at once.</param>
    /// <param name="commands">Runs the custom command steps of playbooks.</param>
    /// <param name="credentials">Loads the secrets a run needs (masked from then on) and wipes them when it ends.</param>
    /// <param name="masker">The secret masker every output goes through.</param>
    /// <param name="observers">The host's event observers.</param>
    /// <param name="options">The runner's options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public RunnerOrchestrator(
        ITaskRegistry registry,
        ISlotPool slots,
        IArtifactStore artifacts,
        IWorkspaceManager workspace,
        ICodingAgent agent,
        ITestRunner tests,
        IPromptBuilder prompts,
        ChangePolicy policy,
        IBranchLock branchLock,
        IRunConcurrencyLimiter limiter,
        CommandStepRunner commands,
        RunCredentialsFactory credentials,
        ISecretMasker masker,
        IEnumerable<IRunEventObserver> observers,
        IOptions<AgentRunnerOptions> options,
        TimeProvider time,
        ILogger<RunnerOrchestrator> logger)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _slots = slots ?? throw new ArgumentNullException(nameof(slots));
        _artifacts = artifacts ?? throw new ArgumentNullException(nameof(artifacts));
        _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));
        _agent = agent ?? throw new ArgumentNullException(nameof(agent));
        _tests = tests ?? throw new ArgumentNullException(nameof(tests));
        _prompts = prompts ?? throw new ArgumentNullException(nameof(prompts));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _branchLock = branchLock ?? throw new ArgumentNullException(nameof(branchLock));
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
        _commands = commands ?? throw new ArgumentNullException(nameof(commands));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _observers = [.. observers ?? throw new ArgumentNullException(nameof(observers))];
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _pipeline = BuildPipeline();
        _builtIns = _pipeline.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The names of the built-in pipeline's steps, in order.</summary>
    public IReadOnlyList<string> StepNames => [.. _pipeline.Select(s => s.Name)];

    /// <summary>Runs <paramref name="task"/> to its end.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Failed.</param>
    /// <returns>The run summary; expected failures (agent, tests, push) are outcomes, not exceptions.</returns>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="PlaybookException">The task's playbook is invalid (every problem listed); nothing was touched.</exception>
    /// <remarks>No live event stream is kept: the events go to the run log, the logger and the observers only.</remarks>
    public async Task<RunnerResult> RunAsync(TaskContext task, CancellationToken cancellationToken) =>
        await (await StartAsync(task, resume: false, live: false, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    /// <summary>Starts <paramref name="task"/> and returns at once with its live event stream (R18).</summary>
    /// <remarks>
    /// The stream (<see cref="AgentRun.Events"/>) is subscribed here, so it starts with the first event; while it is
    /// not read it holds at most a bounded number of output lines (see <see cref="AgentRun.Events"/>).
    /// </remarks>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Failed.</param>
    /// <returns>The run in progress.</returns>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="PlaybookException">The task's playbook is invalid (every problem listed); nothing was touched.</exception>
    public Task<AgentRun> StartAsync(TaskContext task, CancellationToken cancellationToken) => StartAsync(task, resume: false, live: true, cancellationToken);

    /// <summary>
    /// Resumes the run of <paramref name="task"/> that was killed half-way (R19), from its journal:
    /// the same runner id, and no side effect (commit, push, artifact, completion event) repeated.
    /// Without a journal this is a fresh run.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Failed.</param>
    /// <returns>The run summary.</returns>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="RegistryException">The task's journal is corrupt (named in the message).</exception>
    /// <exception cref="TaskConflictException">The run's runner still runs (on this host, or on another host); nothing was touched.</exception>
    public async Task<RunnerResult> ResumeAsync(TaskContext task, CancellationToken cancellationToken) =>
        await (await StartAsync(task, resume: true, live: false, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    /// <summary>
    /// Checks <paramref name="task"/> the way starting it would, without touching anything: validates the task,
    /// loads and validates its playbook and resolves its branch name. Hosts call it for every task before any runs.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels reading the playbook.</param>
    /// <returns>The playbook the task would run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The task is invalid, or its branch name would be (every problem listed).</exception>
    /// <exception cref="PlaybookException">The task's playbook cannot be read or is invalid (every problem listed).</exception>
    /// <exception cref="TaskConflictException">The task's branch belongs to another task (the registry says which).</exception>
    public async Task<Playbook> CheckAsync(TaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskContextValidator.ThrowIfInvalid(task);
        var branch = ResolveBranch(task);
        var playbook = await PlaybookLoader.ResolveAsync(task, _options.PlaybookPath, cancellationToken).ConfigureAwait(false);
        await EnsureBranchIsTheTasksAsync(TaskKey.Of(task), branch, cancellationToken).ConfigureAwait(false);
        return playbook;
    }

    /// <summary>The branch the run of <paramref name="task"/> creates and pushes: its own, or the branch template's.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The branch name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The branch name is not valid, or the workspace manager refuses it as a task branch (the main branch, a protected branch).</exception>
    public string GetBranch(TaskContext task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return ResolveBranch(task);
    }

    internal async Task<AgentRun> StartAsync(TaskContext task, bool resume, bool live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskContextValidator.ThrowIfInvalid(task);
        var playbook = await PlaybookLoader.ResolveAsync(task, _options.PlaybookPath, cancellationToken).ConfigureAwait(false);
        var journals = new RunJournalStore(JournalDirectory);
        var previous = resume ? await journals.ReadAsync(TaskKey.Of(task), cancellationToken).ConfigureAwait(false) : null;
        if (previous is not null)
        {
            // Before anything is touched: the killed run's spool folder, run log and journal are the live run's own
            // while its runner still runs.
            await EnsurePreviousRunnerGoneAsync(TaskKey.Of(task), previous.RunnerId, cancellationToken).ConfigureAwait(false);
        }

        var branch = previous?.Branch ?? ResolveBranch(task);

        var runnerId = previous?.RunnerId ?? NewRunnerId();
        var spool = Path.Combine(WorkDirectory, "runs", runnerId);
        Directory.CreateDirectory(spool);

        // A resumed run carries on the killed attempt's run log, so the log holds the whole story.
        var runLogPath = Path.Combine(spool, RunLogName);
        if (previous is not null)
        {
            DropPartialLastLine(runLogPath);
        }

        // Each line goes to the file as it is written (a write, not an fsync): a killed runner's log keeps its events.
        var runLog = new StreamWriter(runLogPath, append: previous is not null, new System.Text.UTF8Encoding(false)) { AutoFlush = true };
        var channel = new RunEventChannel(runnerId, task.TaskId, _masker, _time, _observers, _logger, runLog);
        var events = live ? channel.Subscribe(CancellationToken.None) : AsyncEnumerable.Empty<RunEvent>();
        var state = new RunnerStateMachine(_time, transition =>
        {
            channel.Publish(new StateChanged(transition.From, transition.To, transition.Reason));
            PersistState(runnerId, task, transition);
        });
        var context = new RunContext(task, runnerId, branch, channel, state, spool)
        {
            Journals = journals,
            Previous = previous,
            Playbook = playbook,
            TraceId = previous?.TraceId ?? RunTrace.NewId(),
        };
        var completion = Task.Run(() => ExecuteAsync(context, runLog, cancellationToken), CancellationToken.None);
        return new AgentRun(runnerId, context.Key, events, completion);
    }

    private string WorkDirectory => _options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "necrocode-runner");

    private string JournalDirectory => _options.JournalDirectory ?? Path.Combine(WorkDirectory, "journal");

    private static string NewRunnerId() => "runner-" + Guid.CreateVersion7().ToString("N");

    private string ResolveBranch(TaskContext task)
    {
        var branch = !string.IsNullOrWhiteSpace(task.BranchName)
            ? task.BranchName
            : _options.BranchTemplate
                .Replace("{spec}", GitRefName.Sanitize(task.SpecName), StringComparison.Ordinal)
                .Replace("{task-id}", GitRefName.Sanitize(task.TaskId), StringComparison.Ordinal);
        if (!GitRefName.IsValidBranchName(branch))
        {
            throw new TaskValidationException([new TaskValidationError("branchName", $"the branch template gives '{branch}', which is not a valid git branch name.")]);
        }

        if (_workspace.CheckTaskBranch(branch) is { } refused)
        {
            throw new TaskValidationException([new TaskValidationError("branchName", $"'{branch}' cannot be a task branch: {refused}")]);
        }

        return branch;
    }

    /// <summary>Refuses a task whose branch the registry gives to another task (its first pusher).</summary>
    private async Task EnsureBranchIsTheTasksAsync(TaskKey task, string branch, CancellationToken cancellationToken)
    {
        if (await _registry.GetBranchClaimAsync(branch, cancellationToken).ConfigureAwait(false) is { } claim && !claim.IsOwnedBy(task))
        {
            throw new TaskConflictException(BranchTakenMessage(task, claim), claim.RunnerId);
        }
    }

    private static string BranchTakenMessage(TaskKey task, BranchClaim claim) =>
        $"The branch '{claim.Branch}' of task {task} belongs to task {claim.Owner}, which pushed it first (runner {claim.RunnerId}, {claim.ClaimedAt:O}); nothing of {task} was run. Give {task} a branch of its own (branchName, or a branch template that tells the tasks apart).";

    private async Task<RunnerResult> ExecuteAsync(RunContext context, StreamWriter runLog, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        RunTrace.Enter(context.TraceId);
        AgentRunnerTelemetry.ActiveRuns.Add(1);
        using var activity = AgentRunnerTelemetry.Source.StartActivity("agentrunner.run");
        activity?.SetTag("agentrunner.task", context.Key.ToString());
        activity?.SetTag("agentrunner.runner", context.RunnerId);
        Log.RunStarted(_logger, context.Key.ToString(), context.RunnerId, context.Branch);
        if (context.Previous is { } previous)
        {
            context.Events.Publish(new RunWarning(Steps.Register, $"The run of {context.Key} was resumed by process {Environment.ProcessId}; the events before this one are the killed attempt's (resume {previous.Resumes + 1})."));
        }

        context.Events.Publish(new RunStarted(context.Task.SpecName, context.Task.Title));
        context.State.MoveTo(RunnerState.Running);

        IAsyncDisposable? permit = null;
        RunCredentials? secrets = null;
        try
        {
            secrets = await _credentials.OpenAsync(cancellationToken).ConfigureAwait(false);
            context.Secrets = secrets;
            permit = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialException ex)
        {
            Fail(context, RunOutcome.InfrastructureError, "credentials", ex.Message, ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            Fail(context, RunOutcome.Cancelled, "queue", "The run was cancelled while waiting for a free run slot.", ex);
        }

        using var timeout = new CancellationTokenSource(context.Task.Timeout, _time);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await RunPlaybookAsync(context, run.Token, cancellationToken, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            AgentRunnerTelemetry.ActiveRuns.Add(-1);
            if (permit is not null)
            {
                await permit.DisposeAsync().ConfigureAwait(false);
            }

            if (secrets is not null)
            {
                await secrets.DisposeAsync().ConfigureAwait(false);
            }
        }

        var outcome = context.FailureOutcome ?? RunOutcome.Succeeded;
        context.State.MoveTo(outcome == RunOutcome.Succeeded ? RunnerState.Completed : RunnerState.Failed, context.Error?.Message);
        var duration = _time.GetElapsedTime(start);
        context.Events.Publish(new RunFinished(outcome, duration, context.Error?.Message));
        await context.Events.CompleteAsync().ConfigureAwait(false);
        await runLog.DisposeAsync().ConfigureAwait(false);
        var runLogStored = await StoreRunLogAsync(context).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect("run-log"));

        // Last: until here a crash leaves the journal, and a resume finishes the run without repeating anything.
        if (context.Claimed)
        {
            context.Journals.Delete(context.Key);
        }

        if (runLogStored)
        {
            TryDeleteDirectory(context.SpoolDirectory);
        }

        AgentRunnerTelemetry.RunDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        AgentRunnerTelemetry.Runs.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        activity?.SetTag("agentrunner.outcome", outcome.ToString());
        if (outcome != RunOutcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, context.Error?.Message);
        }

        Log.RunFinished(_logger, context.Key.ToString(), outcome, duration.TotalSeconds);
        var result = MaskResult(new RunnerResult
        {
            TaskId = context.Task.TaskId,
            SpecName = context.Task.SpecName,
            RunnerId = context.RunnerId,
            Outcome = outcome,
            State = context.State.Current,
            StartedAt = startedAt,
            FinishedAt = startedAt + duration,
            Branch = context.Branch,
            CommitId = context.CommitId,
            SlotId = context.Lease?.SlotId,
            SlotQuarantined = context.SlotQuarantined,
            Implementations = [.. context.Implementations],
            Tests = context.Tests,
            PassedOnAttempt = context.PassedOnAttempt,
            Push = context.Push,
            Artifacts = [.. context.Artifacts],
            Steps = [.. context.Steps],
            Transitions = context.State.Transitions,
            Playbook = context.Playbook.Name,
            Error = context.Error,
        });

        // Everything the run writes is masked by now; a value another run still holds stays masked.
        secrets?.StopMasking();
        return result;
    }

    /// <summary>Masks every free-text field of the summary: it leaves the runner for hosts, files and logs.</summary>
    private RunnerResult MaskResult(RunnerResult result)
    {
        string? M(string? text) => text is null ? null : _masker.Apply(text);
        return result with
        {
            Error = result.Error is { } error ? error with { Message = M(error.Message)! } : null,
            Steps = [.. result.Steps.Select(s => s with { Message = M(s.Message) })],
            Transitions = [.. result.Transitions.Select(t => t with { Reason = M(t.Reason) })],
            Implementations = [.. result.Implementations.Select(i => i with { Error = M(i.Error) })],
            Push = result.Push is { } push ? push with { Error = M(push.Error) } : null,
            Tests = result.Tests is { } tests ? tests with { Commands = [.. tests.Commands.Select(c => c with { StandardOutput = M(c.StandardOutput)!, StandardError = M(c.StandardError)! })] } : null,
            Artifacts = [.. result.Artifacts.Select(a => a with { Error = M(a.Error) })],
        };
    }

    private async Task<StepOutcome> RunStepAsync(RunContext context, PipelineStep step, CancellationToken token, CancellationToken hostToken, CancellationToken taskTimeoutToken, TimeSpan? stepTimeout = null)
    {
        using var activity = AgentRunnerTelemetry.Source.StartActivity("agentrunner.step");
        activity?.SetTag("agentrunner.step", step.Name);
        context.Events.Publish(new StepStarted(step.Name));
        FailPoint.Reach(FailPoint.Before(step.Name));
        var start = _time.GetTimestamp();
        StepOutcome outcome;
        string? message = null;
        using var usage = Processes.ProcessUsageScope.Begin();
        try
        {
            token.ThrowIfCancellationRequested();
            outcome = await step.Run(context, token).ConfigureAwait(false);
            if (outcome != StepOutcome.Succeeded && context.Error?.Step == step.Name)
            {
                message = context.Error.Message;
            }
        }
        catch (OperationCanceledException ex) when (token.IsCancellationRequested)
        {
            var timedOut = !hostToken.IsCancellationRequested;
            outcome = timedOut ? StepOutcome.TimedOut : StepOutcome.Cancelled;
            message = !timedOut ? $"The run was cancelled during step {step.Name}."
                : taskTimeoutToken.IsCancellationRequested ? $"The task ran past its timeout of {context.Task.Timeout:c} during step {step.Name}."
                : stepTimeout is { } limit ? $"Step {step.Name} ran past its timeout of {limit:c}."
                : $"Step {step.Name} ran out of time.";
            Fail(context, timedOut ? RunOutcome.TimedOut : RunOutcome.Cancelled, step.Name, message, ex);
        }
        catch (TaskValidationException ex)
        {
            outcome = StepOutcome.Failed;
            message = ex.Message;
            Fail(context, RunOutcome.InvalidTask, step.Name, message, ex);
        }
        catch (TaskConflictException ex)
        {
            outcome = StepOutcome.Failed;
            message = ex.Message;
            Fail(context, RunOutcome.Conflict, step.Name, message, ex);
        }
        catch (PushRefusedException ex)
        {
            outcome = StepOutcome.Failed;
            message = ex.Message;
            Fail(context, RunOutcome.Refused, step.Name, message, ex);
        }
        catch (AgentRunnerException ex)
        {
            // An expected condition of a neighbour (a busy pool, a broken slot, an unreachable remote …): one line;
            // the stack trace only at Debug level.
            outcome = StepOutcome.Failed;
            message = $"{step.Name} failed: {ex.Message}";
            Fail(context, RunOutcome.InfrastructureError, step.Name, message, ex);
            Log.StepFailed(_logger, step.Name, context.Key.ToString(), _masker.Apply(ex.Message));
            Log.StepFailedDetail(_logger, step.Name, context.Key.ToString(), ex);
        }
#pragma warning disable CA1031 // Any failure of a step is recorded as the run's outcome; the slot must still be released.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = StepOutcome.Failed;
            message = $"{step.Name} failed: {ex.Message}";
            Fail(context, RunOutcome.InfrastructureError, step.Name, message, ex);
            Log.StepCrashed(_logger, step.Name, context.Key.ToString(), ex);
        }

        usage.Dispose();
        var elapsed = _time.GetElapsedTime(start);
        var masked = message is null ? null : _masker.Apply(message);
        context.Steps.Add(new StepResult(step.Name, outcome, elapsed, masked) { PeakMemoryBytes = usage.PeakMemoryBytes, CpuTime = usage.CpuTime });
        await RecordStepAsync(context, step.Name, outcome).ConfigureAwait(false);
        context.Events.Publish(new StepFinished(step.Name, outcome, elapsed, masked));
        AgentRunnerTelemetry.StepDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("step", step.Name),
            new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        if (outcome != StepOutcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, masked);
        }

        return outcome;
    }

    /// <summary>Records the ended step and the runner's state in the journal (best effort: a failed write is logged).</summary>
    private async Task RecordStepAsync(RunContext context, string step, StepOutcome outcome)
    {
        if (context.Journal is null)
        {
            return;
        }

        try
        {
            await SaveJournalAsync(
                context,
                j => j with { State = context.State.Current, CompletedSteps = [.. j.CompletedSteps, new JournalStep(step, outcome, j.Resumes)] },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.JournalNotWritten(_logger, context.Key.ToString(), step, ex);
        }
    }

    private void Fail(RunContext context, RunOutcome outcome, string step, string message, Exception? exception = null, bool always = false) =>
        context.Fail(outcome, step, _masker.Apply(message), exception, always);

    private sealed record PipelineStep(string Name, bool Always, Func<RunContext, CancellationToken, Task<StepOutcome>> Run);
}
