using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Takes a workspace slot: the one the task assigns, or one from the pool (the slot of a resumed run first), and stops
/// what an earlier holder of that slot that is gone left running.
/// </summary>
internal sealed class AcquireSlotStep(ISlotPool slots, LeftoverProcesses leftovers) : IRunStep
{
    /// <summary>The lease id of a slot assigned by the task (a slot path) rather than leased from the pool.</summary>
    public const string AssignedLeaseId = "assigned";

    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.AcquireSlot;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) =>
        context.Claimed ? null : StepVerdict.MissingPrerequisite(Name, PlaybookBuiltInSteps.Register);

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        if (!string.IsNullOrEmpty(task.SlotPath))
        {
            if (!Directory.Exists(task.SlotPath))
            {
                throw new SlotUnavailableException($"The assigned slot '{task.SlotPath}' does not exist.");
            }

            context.Lease = new SlotLease(task.SlotId ?? Path.GetFileName(task.SlotPath.TrimEnd('/')), task.SlotPath, AssignedLeaseId);
            return StepVerdict.Succeeded;
        }

        context.Lease = await slots.AcquireAsync(new SlotRequest(context.Key, context.RunnerId, task.SlotId ?? context.Previous?.SlotId) { ProcessTrackingId = context.TraceId }, cancellationToken).ConfigureAwait(false);

        // The pool only reports a slot taken over from a holder that is gone; its processes are stopped here, so that
        // no process outlives its run whatever the pool.
        await leftovers.StopStaleHolderAsync(context.Lease, cancellationToken).ConfigureAwait(false);
        await context.SaveJournalAsync(j => j with { SlotId = context.Lease.SlotId }, cancellationToken).ConfigureAwait(false);
        return StepVerdict.Succeeded;
    }
}
