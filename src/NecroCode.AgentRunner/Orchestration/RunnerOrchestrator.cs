using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.State;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// The runner of <see cref="IAgentRunner"/>: starts, resumes and checks runs. It owns what belongs to a run as a
/// whole — its id, spool folder, run log and journal, its credentials, its place in the concurrency limit, its budget,
/// its state, the <c>finally</c> that stores the run log, and the result. The steps themselves are the
/// <see cref="PlaybookRun"/>'s.
/// </summary>
internal sealed partial class RunnerOrchestrator(
    PlaybookRun playbook,
    BranchResolver branches,
    TaskCheck check,
    ResumeGuard resumeGuard,
    ArtifactRecorder artifacts,
    RunCredentialsFactory credentials,
    IRunConcurrencyLimiter limiter,
    RunStateFile stateFile,
    ISecretMasker masker,
    IEnumerable<IRunEventObserver> observers,
    IOptions<AgentRunnerOptions> options,
    TimeProvider time,
    ILogger<RunnerOrchestrator> logger) : IAgentRunner
{
    private readonly IReadOnlyList<IRunEventObserver> _observers = [.. observers];
    private readonly AgentRunnerOptions _options = options.Value;

    /// <summary>The names of the built-in pipeline's steps, in order.</summary>
    public static IReadOnlyList<string> StepNames => [.. BuiltInStepCatalog.All.Select(s => s.Name)];

    /// <inheritdoc />
    public async Task<RunnerResult> RunAsync(TaskContext task, CancellationToken cancellationToken) =>
        await (await StartAsync(task, resume: false, live: false, runnerId: null, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    /// <inheritdoc />
    public Task<AgentRun> StartAsync(TaskContext task, CancellationToken cancellationToken) => StartAsync(task, resume: false, live: true, runnerId: null, cancellationToken);

    /// <inheritdoc />
    public async Task<RunnerResult> ResumeAsync(TaskContext task, CancellationToken cancellationToken) =>
        await (await StartAsync(task, resume: true, live: false, runnerId: null, cancellationToken).ConfigureAwait(false)).Completion.ConfigureAwait(false);

    /// <inheritdoc />
    public Task<AgentRun> StartResumeAsync(TaskContext task, CancellationToken cancellationToken) => StartAsync(task, resume: true, live: true, runnerId: null, cancellationToken);

    /// <summary>
    /// Starts the run <paramref name="request"/> asks for: fresh or resumed, and under the caller's runner id when it
    /// names one (<see cref="ExecutionRequest.RunnerId"/>): the caller holds the task's claim under that id, and a journal
    /// a runner gone from this machine left for the task is resumed under it.
    /// </summary>
    /// <param name="request">The run's request.</param>
    /// <param name="live">Whether to keep a live event stream.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run in progress.</returns>
    public Task<AgentRun> StartAsync(ExecutionRequest request, bool live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RunnerId is { } runnerId)
        {
            FileSystem.PathSegment.Check(runnerId, "runner id", nameof(request));
        }

        return StartAsync(request.Task, request.Resume, live, request.RunnerId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TaskPlan> CheckAsync(TaskContext task, CancellationToken cancellationToken) => check.CheckAsync(task, cancellationToken);

    private async Task<AgentRun> StartAsync(TaskContext task, bool resume, bool live, string? runnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskContextValidator.ThrowIfInvalid(task);
        var resolved = await PlaybookLoader.ResolveAsync(task, _options.PlaybookPath, cancellationToken).ConfigureAwait(false);
        var journals = new RunJournalStore(RunDirectories.Journals(_options));

        // A caller that claimed the task under its own id took it over: a journal left here is resumed.
        var previous = resume || runnerId is not null ? await journals.ReadAsync(TaskKey.Of(task), cancellationToken).ConfigureAwait(false) : null;
        if (previous is not null && previous.RunnerId != runnerId)
        {
            // Before anything is touched: the killed run's spool folder, run log and journal are the live run's own
            // while its runner still runs.
            await resumeGuard.EnsureGoneAsync(TaskKey.Of(task), previous.RunnerId, cancellationToken).ConfigureAwait(false);
        }

        var branch = previous?.Branch ?? branches.Resolve(task);
        runnerId ??= previous?.RunnerId ?? NewRunnerId();
        var spool = Path.Combine(RunDirectories.Work(_options), "runs", runnerId);
        if (previous is not null && previous.RunnerId != runnerId)
        {
            AdoptSpool(Path.Combine(RunDirectories.Work(_options), "runs", previous.RunnerId), spool);
        }

        Directory.CreateDirectory(spool);

        var runLog = RunLogFile.Open(spool, resumed: previous is not null);
        var channel = new RunEventChannel(runnerId, task.TaskId, masker, time, _observers, logger, runLog);
        var events = live ? channel.Subscribe(CancellationToken.None) : AsyncEnumerable.Empty<RunEvent>();
        var state = new RunnerStateMachine(time, transition =>
        {
            channel.Publish(new StateChanged(transition.From, transition.To, transition.Reason));
            stateFile.Write(runnerId, task, transition);
        });
        var context = new RunContext(task, runnerId, branch, channel, state, spool)
        {
            Journals = journals,
            Previous = previous,
            Playbook = resolved,
            TraceId = previous?.TraceId ?? RunTrace.NewId(),
        };
        var completion = Task.Run(() => ExecuteAsync(context, runLog, cancellationToken), CancellationToken.None);
        return new AgentRun(runnerId, context.Key, events, completion);
    }

    private static string NewRunnerId() => "runner-" + Guid.CreateVersion7().ToString("N");

    private async Task<RunnerResult> ExecuteAsync(RunContext context, RunLogWriter runLog, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var start = time.GetTimestamp();
        RunTrace.Enter(context.TraceId);
        AgentRunnerTelemetry.ActiveRuns.Add(1);
        using var activity = AgentRunnerTelemetry.Source.StartActivity("agentrunner.run");
        activity?.SetTag("agentrunner.task", context.Key.ToString());
        activity?.SetTag("agentrunner.runner", context.RunnerId);
        Log.RunStarted(logger, context.Key.ToString(), context.RunnerId, context.Branch);
        if (context.Previous is { } previous)
        {
            context.Events.Publish(new RunWarning(PlaybookBuiltInSteps.Register, $"The run of {context.Key} was resumed by process {Environment.ProcessId}; the events before this one are the killed attempt's (resume {previous.Resumes + 1})."));
        }

        context.Events.Publish(new RunStarted(context.Task.SpecName, context.Task.Title));
        context.State.MoveTo(RunnerState.Running);

        RunCredentials? secrets = null;
        try
        {
            try
            {
                secrets = await credentials.OpenAsync(cancellationToken).ConfigureAwait(false);
                context.Secrets = secrets;
            }
            catch (CredentialException ex)
            {
                context.Fail(RunOutcome.InfrastructureError, "credentials", masker.Apply(ex.Message), ex);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                context.Fail(RunOutcome.Cancelled, "credentials", "The run was cancelled while its credentials were being loaded.", ex);
            }

            var permit = context.Failed ? null : await TakeRunSlotAsync(context, cancellationToken).ConfigureAwait(false);
            await RunStepsAsync(context, permit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            AgentRunnerTelemetry.ActiveRuns.Add(-1);
        }

        context.ConcludeLostClaim();
        var outcome = context.FailureOutcome ?? RunOutcome.Succeeded;
        context.State.MoveTo(outcome == RunOutcome.Succeeded ? RunnerState.Completed : RunnerState.Failed, context.Error?.Message);
        var duration = time.GetElapsedTime(start);
        context.Events.Publish(new RunFinished(outcome, duration, context.Error?.Message));
        await context.Events.CompleteAsync().ConfigureAwait(false);
        await runLog.DisposeAsync().ConfigureAwait(false);
        var runLogStored = await artifacts.StoreRunLogAsync(context).ConfigureAwait(false);
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

        if (context.Implementations.Count > 0)
        {
            BudgetTelemetry.Record(BudgetScope.Task, AgentSpend.Total(context.Implementations));
        }

        AgentRunnerTelemetry.RunDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        AgentRunnerTelemetry.Runs.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        activity?.SetTag("agentrunner.outcome", outcome.ToString());
        if (outcome != RunOutcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, context.Error?.Message);
        }

        Log.RunFinished(logger, context.Key.ToString(), outcome, duration.TotalSeconds);
        var result = RunResultBuilder.Build(context, outcome, startedAt, duration, masker);

        // Everything the run writes is masked by now; a value another run still holds stays masked.
        secrets?.StopMasking();
        return result;
    }

    /// <summary>Waits for a free run slot of the concurrency limit; a run that cannot have one fails, and its closing steps still run.</summary>
    private async Task<IAsyncDisposable?> TakeRunSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            context.Fail(RunOutcome.Cancelled, "queue", "The run was cancelled while waiting for a free run slot.", ex);
        }
#pragma warning disable CA1031 // A limiter that fails (its lock folder unreadable …) fails the run; the secrets are still wiped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.Fail(RunOutcome.InfrastructureError, "queue", masker.Apply($"Waiting for a free run slot failed: {ex.Message}"), ex);
        }

        return null;
    }

    /// <summary>Runs the playbook within the run's budget, then gives back the concurrency permit and wipes the secrets.</summary>
    private async Task RunStepsAsync(RunContext context, IAsyncDisposable? permit, CancellationToken cancellationToken)
    {
        using var budget = new RunBudget(context.Task.Timeout, time, cancellationToken);
        context.Budget = budget;
        try
        {
            await playbook.RunAsync(context).ConfigureAwait(false);
        }
        finally
        {
            if (context.Heartbeat is { } heartbeat)
            {
                await heartbeat.DisposeAsync().ConfigureAwait(false);
            }

            if (permit is not null)
            {
                await permit.DisposeAsync().ConfigureAwait(false);
            }

            if (context.Secrets is RunCredentials secrets)
            {
                await secrets.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A take-over carries on the dead runner's spool folder (its run log) under the new runner's id.</summary>
    private static void AdoptSpool(string previous, string spool)
    {
        try
        {
            if (Directory.Exists(previous) && !Directory.Exists(spool))
            {
                Directory.Move(previous, spool);
            }
        }
        catch (IOException)
        {
            // The resumed run starts a run log of its own; the dead runner's stays where it is.
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover spool folder is harmless; the next run uses its own.
        }
    }
}
