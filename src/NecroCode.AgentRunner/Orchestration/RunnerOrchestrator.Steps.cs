using NecroCode.AgentRunner.Processes;
using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;
public sealed partial class RunnerOrchestrator
{
    /// <summary>The lease id of a slot assigned by the task (a slot path) rather than leased from the pool.</summary>
    private const string AssignedLeaseId = "assigned";

    private IReadOnlyList<PipelineStep> BuildPipeline() =>
    [
        new(Steps.Register, false, RegisterAsync),
        new(Steps.AcquireSlot, false, AcquireSlotAsync),
        new(Steps.PrepareWorkspace, false, PrepareWorkspaceAsync),
        new(Steps.Implement, false, ImplementAsync),
        new(Steps.Test, false, TestAsync),
        new(Steps.Commit, false, CommitAsync),
        new(Steps.Push, false, PushAsync),
        new(Steps.UploadArtifacts, true, UploadArtifactsAsync),
        new(Steps.Report, true, ReportAsync),
        new(Steps.ReleaseSlot, true, ReleaseSlotAsync),
    ];

    private async Task<StepOutcome> RegisterAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Previous is null && !_options.RerunDoneTasks && await _registry.GetTaskAsync(context.Key, cancellationToken).ConfigureAwait(false) is { State: TaskState.Done } done)
        {
            throw new TaskConflictException(
                $"Task {context.Key} is already Done (by runner {done.RunnerId}, {done.UpdatedAt:O}); nothing was run. To run it again on purpose, pass --rerun (setting NecroCode:Runner:RerunDoneTasks=true).",
                done.RunnerId);
        }

        await EnsureBranchIsTheTasksAsync(context.Key, context.Branch, cancellationToken).ConfigureAwait(false);
        var registration = new RunnerRegistration(context.RunnerId, context.Key, Environment.MachineName, Environment.ProcessId, _time.GetUtcNow());
        await _registry.RegisterRunnerAsync(registration, cancellationToken).ConfigureAwait(false);
        context.Registered = true;
        var claim = await _registry.TryClaimTaskAsync(context.Key, context.RunnerId, cancellationToken).ConfigureAwait(false);
        if (!claim.Claimed)
        {
            throw new TaskConflictException($"Task {context.Key} is already being run by runner {claim.HeldBy}.", claim.HeldBy);
        }

        context.Claimed = true;
        if (context.Previous is { } previous)
        {
            // The killed run's agent and test processes run in sessions of their own and outlived it: stop them
            // before anything touches the workspace.
            await StopLeftoverProcessesAsync(context, previous.TraceId ?? context.TraceId, cancellationToken).ConfigureAwait(false);
            context.Journal = previous with { Resumes = previous.Resumes + 1, TraceId = context.TraceId };
            context.Events.Publish(new RunWarning(Steps.Register, $"Resuming the run of {context.Key} (resume {context.Journal.Resumes})."));
        }
        else
        {
            // A journal left by a dead runner whose task this run took over: its processes may still run.
            if (await context.Journals.ReadAsync(context.Key, cancellationToken).ConfigureAwait(false) is { TraceId: { } abandoned })
            {
                await StopLeftoverProcessesAsync(context, abandoned, cancellationToken).ConfigureAwait(false);
            }

            context.Journals.Delete(context.Key);
            context.Journal = new Journal.RunJournal { RunnerId = context.RunnerId, SpecName = context.Key.SpecName, TaskId = context.Key.TaskId, Branch = context.Branch, StartedAt = _time.GetUtcNow(), TraceId = context.TraceId };
        }

        await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
        await AppendTaskEventAsync(context, TaskEventTypes.TaskStarted, $"Runner {context.RunnerId} started the task.", new Dictionary<string, string> { ["branch"] = context.Branch }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    /// <summary>
    /// A resumed run reuses the killed run's runner id, so the registry's claim cannot tell the two apart: refuse
    /// while the process that registered that id may still run (this host: it runs; another host: unknown).
    /// </summary>
    private async Task EnsurePreviousRunnerGoneAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        var runners = await _registry.GetRunnersAsync(cancellationToken).ConfigureAwait(false);
        if (runners.FirstOrDefault(r => r.RunnerId == runnerId) is not { } earlier || earlier.ProcessId == Environment.ProcessId)
        {
            return;
        }

        if (!string.Equals(earlier.Host, Environment.MachineName, StringComparison.Ordinal))
        {
            throw new TaskConflictException($"Task {task} cannot be resumed here: its runner {runnerId} runs on host {earlier.Host} (pid {earlier.ProcessId}). Resume it there.", runnerId);
        }

        if (Posix.ProcessLiveness.MayBeRunning(earlier.ProcessId, earlier.StartedAt))
        {
            throw new TaskConflictException($"Task {task} cannot be resumed: its runner {runnerId} still runs (pid {earlier.ProcessId}).", runnerId);
        }
    }

    private async Task StopLeftoverProcessesAsync(RunContext context, string traceId, CancellationToken cancellationToken)
    {
        var stopped = await RunTrace.StopAsync(traceId, RunTrace.StopGrace, _time, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            context.Events.Publish(new RunWarning(Steps.Register, $"Stopped {stopped.Count} process(es) the earlier run of {context.Key} left running (pids {string.Join(", ", stopped)})."));
        }
    }

    private async Task<StepOutcome> AcquireSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            return MissingPrerequisite(context, Steps.AcquireSlot, Steps.Register);
        }

        var task = context.Task;
        if (!string.IsNullOrEmpty(task.SlotPath))
        {
            if (!Directory.Exists(task.SlotPath))
            {
                throw new SlotUnavailableException($"The assigned slot '{task.SlotPath}' does not exist.");
            }

            context.Lease = new SlotLease(task.SlotId ?? Path.GetFileName(task.SlotPath.TrimEnd('/')), task.SlotPath, AssignedLeaseId);
            return StepOutcome.Succeeded;
        }

        context.Lease = await _slots.AcquireAsync(new SlotRequest(context.Key, context.RunnerId, task.SlotId ?? context.Previous?.SlotId) { ProcessTrackingId = context.TraceId }, cancellationToken).ConfigureAwait(false);
        await StaleRunProcesses.StopAsync(context.Lease, _time, _logger, cancellationToken).ConfigureAwait(false);
        await SaveJournalAsync(context, j => j with { SlotId = context.Lease.SlotId }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> PrepareWorkspaceAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Lease is not { } lease)
        {
            return MissingPrerequisite(context, Steps.PrepareWorkspace, Steps.AcquireSlot);
        }

        var request = new WorkspaceRequest(lease.Path, context.Branch, context.Key, context.Events) { Secrets = context.Secrets };
        if (context.Journal is { CommitId: { } commit, BaseCommit: { } baseCommit })
        {
            try
            {
                var resumed = await _workspace.PrepareAsync(request with { ResumeCommit = commit }, cancellationToken).ConfigureAwait(false);
                context.Workspace = resumed with { BaseCommit = baseCommit };
                context.Diff = await _workspace.GetDiffAsync(resumed.Path, baseCommit, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Succeeded;
            }
            catch (WorkspaceException ex)
            {
                context.Events.Publish(new RunWarning(Steps.PrepareWorkspace, $"The slot no longer holds commit {commit}; the task is run again from the start: {ex.Message}"));
                await SaveJournalAsync(context, j => j with { CommitId = null, Tests = null, Push = null }, cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            context.Workspace = await _workspace.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex) when (!ex.IsTransient)
        {
            // Not a passing condition (network, a live git process): the slot itself may be broken.
            context.SlotSuspect = ex.Message;
            throw;
        }

        await SaveJournalAsync(context, j => j with { BaseCommit = context.Workspace.BaseCommit }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    /// <summary>A built-in step whose prerequisite did not run (e.g. it was skipped by its condition) fails with a clear reason.</summary>
    private StepOutcome MissingPrerequisite(RunContext context, string step, string prerequisite)
    {
        Fail(context, RunOutcome.StepFailed, step, $"Step {step} needs step {prerequisite} to have run first in this run, and it has not.");
        return StepOutcome.Failed;
    }

    private static async Task SaveJournalAsync(RunContext context, Func<Journal.RunJournal, Journal.RunJournal> update, CancellationToken cancellationToken)
    {
        if (context.Journal is null)
        {
            return;
        }

        context.Journal = update(context.Journal);
        await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
    }

    private Task AppendTaskEventAsync(RunContext context, string type, string? message, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var masked = data.ToDictionary(p => p.Key, p => _masker.Apply(p.Value), StringComparer.Ordinal);
        var taskEvent = new TaskEvent(context.Key, type, _time.GetUtcNow(), context.RunnerId, message is null ? null : _masker.Apply(message), masked);
        return _registry.AppendEventAsync(taskEvent, cancellationToken);
    }
}
