namespace NecroCode.AgentRunner;

/// <summary>A slot held by a runner until it is released.</summary>
/// <param name="SlotId">The slot's id.</param>
/// <param name="Path">The slot's working directory (a clone of the repository).</param>
/// <param name="LeaseId">Identifies this holding of the slot; a release must present it.</param>
public sealed record SlotLease(string SlotId, string Path, string LeaseId)
{
    /// <summary>
    /// Set when the pool handed the slot over from an earlier holder known to be gone (a runner that crashed
    /// or was killed): the <see cref="SlotRequest.ProcessTrackingId"/> that holder acquired the slot with. Its
    /// agent and test processes may still run in the slot; the run that acquired it stops them before it uses
    /// the slot. Null when the slot was free, or the earlier holder's processes are not known.
    /// </summary>
    public string? StaleProcessTrackingId { get; init; }
}
