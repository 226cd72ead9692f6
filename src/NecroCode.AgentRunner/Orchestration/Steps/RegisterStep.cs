using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Records the runner, claims the task (and keeps renewing a claim that is a lease) and starts its journal. A task
/// already Done, a branch another task owns and a task another runner holds are conflicts; a resumed run stops what
/// the killed run left running first.
/// </summary>
internal sealed class RegisterStep(
    ITaskRegistry registry,
    BranchOwnership branches,
    TaskEventWriter taskEvents,
    LeftoverProcesses leftovers,
    IOptions<AgentRunnerOptions> options,
    TimeProvider time,
    ILogger<ClaimHeartbeat> heartbeatLogger) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.Register;

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Previous is null && !options.Value.RerunDoneTasks && await registry.GetTaskAsync(context.Key, cancellationToken).ConfigureAwait(false) is { State: TaskState.Done } done)
        {
            return Conflict($"Task {context.Key} is already Done (by runner {done.RunnerId}, {done.UpdatedAt:O}); nothing was run. To run it again on purpose, pass --rerun (setting NecroCode:Runner:RerunDoneTasks=true).", done.RunnerId);
        }

        await branches.EnsureTheTasksAsync(context.Key, context.Branch, cancellationToken).ConfigureAwait(false);
        var registration = new RunnerRegistration(context.RunnerId, context.Key, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        await registry.RegisterRunnerAsync(registration, cancellationToken).ConfigureAwait(false);
        context.Registered = true;
        var claim = await registry.TryClaimTaskAsync(context.Key, context.RunnerId, cancellationToken).ConfigureAwait(false);
        if (!claim.Claimed)
        {
            return Conflict($"Task {context.Key} is already being run by runner {claim.HeldBy}.", claim.HeldBy);
        }

        context.Claimed = true;
        context.Heartbeat = ClaimHeartbeat.Start(registry, context, claim, time, heartbeatLogger);
        if (context.Previous is { } previous)
        {
            // The killed run's agent and test processes run in sessions of their own and outlived it: stop them
            // before anything touches the workspace.
            await leftovers.StopAsync(context, Name, previous.TraceId ?? context.TraceId, cancellationToken).ConfigureAwait(false);
            // A take-over resumes under the new holder's id: the journal is its own from now on.
            context.Journal = previous with { RunnerId = context.RunnerId, Resumes = previous.Resumes + 1, TraceId = context.TraceId };
            context.Events.Publish(new RunWarning(Name, $"Resuming the run of {context.Key} (resume {context.Journal.Resumes})."));
        }
        else
        {
            // A journal left by a dead runner whose task this run took over: its processes may still run.
            if (await context.Journals.ReadAsync(context.Key, cancellationToken).ConfigureAwait(false) is { TraceId: { } abandoned })
            {
                await leftovers.StopAsync(context, Name, abandoned, cancellationToken).ConfigureAwait(false);
            }

            context.Journals.Delete(context.Key);
            context.Journal = new RunJournal { RunnerId = context.RunnerId, SpecName = context.Key.SpecName, TaskId = context.Key.TaskId, Branch = context.Branch, StartedAt = time.GetUtcNow(), TraceId = context.TraceId };
        }

        await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
        await taskEvents.AppendAsync(context, TaskEventTypes.TaskStarted, $"Runner {context.RunnerId} started the task.", new Dictionary<string, string> { ["branch"] = context.Branch }, cancellationToken).ConfigureAwait(false);
        return StepVerdict.Succeeded;
    }

    /// <summary>A conflict, recorded under the name the step runs under, as a conflict the registry raises is.</summary>
    private static StepVerdict Conflict(string message, string? holder) =>
        StepVerdict.Fail(RunOutcome.Conflict, step: null, message, new TaskConflictException(message, holder));
}
