using NecroCode.AgentRunner.Execution;
using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

// The report and release-slot steps, which always run: completion events, rollback, quarantine.
public sealed partial class RunnerOrchestrator
{
    private async Task<StepOutcome> ReportAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            return StepOutcome.Skipped;
        }

        var completion = TaskCompletion.Of(context.FailureOutcome ?? RunOutcome.Succeeded, context.Branch, context.CommitId, context.Artifacts, context.Error?.Message);
        await _registry.SetTaskStateAsync(context.Key, completion.State, context.RunnerId, cancellationToken).ConfigureAwait(false);
        if (await AlreadyReportedAsync(context, completion.Type, cancellationToken).ConfigureAwait(false))
        {
            context.Reported = true;
            return StepOutcome.Skipped;
        }

        await AppendTaskEventAsync(context, completion.Type, completion.Message, completion.Data, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(Steps.Report));
        await SaveJournalAsync(context, j => j with { ReportedEvent = completion.Type }, cancellationToken).ConfigureAwait(false);
        context.Reported = true;
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> ReleaseSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        var outcome = StepOutcome.Succeeded;
        if (context.Lease is { } lease)
        {
            if (!context.Released)
            {
                var broken = await RollBackIfNeededAsync(context, lease, cancellationToken).ConfigureAwait(false);
                if (broken is null)
                {
                    await _slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
                }
                else if (lease.LeaseId == AssignedLeaseId)
                {
                    // The task assigned the slot; the pool that owns it decides what happens to it.
                    context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"The assigned slot {lease.SlotId} cannot be brought back clean: {_masker.Apply(broken)}"));
                }
                else
                {
                    await QuarantineAsync(context, lease, broken, cancellationToken).ConfigureAwait(false);
                }

                context.Released = true;
            }
        }
        else
        {
            outcome = StepOutcome.Skipped;
        }

        if (context.Registered && !context.Unregistered)
        {
            await _registry.UnregisterRunnerAsync(context.RunnerId, cancellationToken).ConfigureAwait(false);
            context.Unregistered = true;
        }

        return outcome;
    }

    /// <summary>
    /// Rolls a failed run's slot back to a clean state (R8.1). Returns why the slot cannot be brought back
    /// clean (the rollback failed), or null when it is clean or needed no rollback.
    /// </summary>
    private async Task<string?> RollBackIfNeededAsync(RunContext context, SlotLease lease, CancellationToken cancellationToken)
    {
        if (!context.Failed || (context.Workspace is null && context.SlotSuspect is null))
        {
            return null;
        }

        try
        {
            await _workspace.RollbackAsync(lease.Path, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time, not broken: the next run's preparation recovers the slot.
            context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Rolling back slot {lease.SlotId} ran out of time; the next run recovers it."));
            return null;
        }
#pragma warning disable CA1031 // Whatever makes the rollback fail, the slot must not go back into rotation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = $"rolling back after a failed run failed: {ex.Message}";
            return context.SlotSuspect is { } suspect ? $"{reason} (preparing it had failed: {suspect})" : reason;
        }
    }

    /// <summary>Takes the slot out of rotation, with its reason, and says so in the events and the result.</summary>
    private async Task QuarantineAsync(RunContext context, SlotLease lease, string reason, CancellationToken cancellationToken)
    {
        var masked = _masker.Apply(reason);
        try
        {
            await _slots.QuarantineAsync(lease, masked, cancellationToken).ConfigureAwait(false);
        }
        catch (SlotUnavailableException ex)
        {
            // Could not move it: release it so the pool is not blocked; the next run's preparation tries again.
            context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Slot {lease.SlotId} cannot be brought back clean ({masked}) and could not be quarantined ({ex.Message}); it is released."));
            await _slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
            return;
        }

        context.SlotQuarantined = masked;
        Log.SlotQuarantined(_logger, lease.SlotId, context.Key.ToString(), masked);
        context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Slot {lease.SlotId} was quarantined (taken out of the pool) instead of released: {masked}"));
    }

    /// <summary>Whether a resumed run already recorded its completion event (journal, or the registry itself after a crash between the two).</summary>
    private async Task<bool> AlreadyReportedAsync(RunContext context, string type, CancellationToken cancellationToken)
    {
        if (context.Previous is null)
        {
            return false;
        }

        if (context.Journal?.ReportedEvent == type)
        {
            return true;
        }

        var events = await _registry.GetEventsAsync(context.Key, cancellationToken).ConfigureAwait(false);
        return events.Any(e => e.Type == type && e.RunnerId == context.RunnerId);
    }
}
