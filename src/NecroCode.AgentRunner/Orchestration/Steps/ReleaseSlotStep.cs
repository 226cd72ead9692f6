using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Hands the slot back — rolled back first after a failed run, quarantined when it cannot be brought back clean —
/// and unregisters the runner.
/// </summary>
internal sealed partial class ReleaseSlotStep(ISlotPool slots, IWorkspaceManager workspace, ITaskRegistry registry, ISecretMasker masker, ILogger<ReleaseSlotStep> logger) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.ReleaseSlot;

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var verdict = StepVerdict.Succeeded;
        if (context.Lease is { } lease)
        {
            if (!context.Released)
            {
                await HandBackAsync(context, lease, cancellationToken).ConfigureAwait(false);
                context.Released = true;
            }
        }
        else
        {
            verdict = StepVerdict.Skipped;
        }

        if (context.Registered && !context.Unregistered && context.ClaimLost is not null)
        {
            // A runner that lost its claim writes nothing more to the registry; its registration lapses with the claim.
            context.Unregistered = true;
        }
        else if (context.Registered && !context.Unregistered)
        {
            await registry.UnregisterRunnerAsync(context.RunnerId, cancellationToken).ConfigureAwait(false);
            context.Unregistered = true;
        }

        return verdict;
    }

    private async Task HandBackAsync(RunContext context, SlotLease lease, CancellationToken cancellationToken)
    {
        var broken = await RollBackIfNeededAsync(context, lease, cancellationToken).ConfigureAwait(false);
        if (broken is null)
        {
            await slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
        }
        else if (lease.LeaseId == AcquireSlotStep.AssignedLeaseId)
        {
            // The task assigned the slot; the pool that owns it decides what happens to it.
            context.Events.Publish(new RunWarning(Name, $"The assigned slot {lease.SlotId} cannot be brought back clean: {masker.Apply(broken)}"));
        }
        else
        {
            await QuarantineAsync(context, lease, broken, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rolls a failed run's slot back to a clean state. Returns why the slot cannot be brought back clean (the
    /// rollback failed), or null when it is clean or needed no rollback.
    /// </summary>
    private async Task<string?> RollBackIfNeededAsync(RunContext context, SlotLease lease, CancellationToken cancellationToken)
    {
        if (!context.Failed || (context.Workspace is null && context.SlotSuspect is null))
        {
            return null;
        }

        try
        {
            await workspace.RollbackAsync(lease.Path, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time, not broken: the next run's preparation recovers the slot.
            context.Events.Publish(new RunWarning(Name, $"Rolling back slot {lease.SlotId} ran out of time; the next run recovers it."));
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
        var masked = masker.Apply(reason);
        try
        {
            await slots.QuarantineAsync(lease, masked, cancellationToken).ConfigureAwait(false);
        }
        catch (SlotUnavailableException ex)
        {
            // Could not move it: release it so the pool is not blocked; the next run's preparation tries again.
            context.Events.Publish(new RunWarning(Name, $"Slot {lease.SlotId} cannot be brought back clean ({masked}) and could not be quarantined ({ex.Message}); it is released."));
            await slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
            return;
        }

        context.SlotQuarantined = masked;
        Log.SlotQuarantined(logger, lease.SlotId, context.Key.ToString(), masked);
        context.Events.Publish(new RunWarning(Name, $"Slot {lease.SlotId} was quarantined (taken out of the pool) instead of released: {masked}"));
    }

    private static partial class Log
    {
        [LoggerMessage(1007, LogLevel.Warning, "Slot {SlotId} quarantined after the run of task {Task}: {Reason}")]
        public static partial void SlotQuarantined(ILogger logger, string slotId, string task, string reason);
    }
}
