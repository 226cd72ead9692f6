namespace NecroCode.AgentRunner;

/// <summary>A request for a workspace slot.</summary>
/// <param name="Task">The task the slot is for.</param>
/// <param name="RunnerId">The runner asking.</param>
/// <param name="SlotId">A specific slot to acquire; any free slot when null.</param>
public sealed record SlotRequest(TaskKey Task, string RunnerId, string? SlotId = null)
{
    /// <summary>
    /// The tracking id every process of the requesting run carries (in its environment), so that they can be
    /// found after the run died. A pool keeps it with the lease; when it later hands the slot over because
    /// this holder is gone, it reports it as the new lease's <see cref="SlotLease.StaleProcessTrackingId"/>.
    /// Null when the run does not track its processes.
    /// </summary>
    public string? ProcessTrackingId { get; init; }
}
