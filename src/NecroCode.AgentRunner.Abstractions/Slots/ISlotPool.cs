namespace NecroCode.AgentRunner;

/// <summary>Hands out workspace slots and takes them back (the repo pool manager's role).</summary>
public interface ISlotPool
{
    /// <summary>Acquires a free slot, exclusively.</summary>
    /// <remarks>
    /// A pool that takes a slot over from a holder known to be gone does not stop that holder's processes
    /// itself: it reports the holder's <see cref="SlotRequest.ProcessTrackingId"/> as the lease's
    /// <see cref="SlotLease.StaleProcessTrackingId"/>, and the run that acquired the slot stops them.
    /// </remarks>
    /// <param name="request">Which slot, for which task (and the tracking id of the run's processes).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lease.</returns>
    /// <exception cref="SlotUnavailableException">No slot (or not the requested one) can be had.</exception>
    Task<SlotLease> AcquireAsync(SlotRequest request, CancellationToken cancellationToken);

    /// <summary>Returns a slot to the pool. Releasing a lease twice, or one the pool did not issue, does nothing.</summary>
    /// <param name="lease">The lease to end.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the slot is free again.</returns>
    Task ReleaseAsync(SlotLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a held slot out of rotation because it cannot be brought back clean, recording the reason;
    /// the lease ends. Quarantining a lease the pool did not issue does nothing.
    /// </summary>
    /// <param name="lease">The lease of the slot.</param>
    /// <param name="reason">Why the slot is quarantined.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the slot is out of rotation.</returns>
    Task QuarantineAsync(SlotLease lease, string reason, CancellationToken cancellationToken);
}
