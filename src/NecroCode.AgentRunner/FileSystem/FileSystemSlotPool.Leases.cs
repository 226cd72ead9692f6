namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemSlotPool
{
    /// <summary>Lists the current leases, by slot id.</summary>
    /// <returns>The leases that can be read (a corrupt lease file is left out; acquiring names it).</returns>
    public IReadOnlyList<SlotLeaseInfo> GetLeases()
    {
        if (!Directory.Exists(_leases))
        {
            return [];
        }

        var leases = new List<SlotLeaseInfo>();
        foreach (var file in Directory.EnumerateFiles(_leases, "*.lease").Order(StringComparer.Ordinal))
        {
            if (ReadLease(file) is { } lease)
            {
                leases.Add(ToInfo(lease));
            }
        }

        return leases;
    }

    /// <summary>
    /// Ends the lease of <paramref name="slotId"/> whoever holds it: the operator's way out when the holder
    /// crashed on another machine, whose lease is otherwise kept for ever (a dead holder on this machine is
    /// reclaimed by the next acquisition anyway). The slot goes back into rotation as it is; the next run's
    /// preparation recovers it. Only for a holder known to be gone: its processes may otherwise still use the slot.
    /// </summary>
    /// <param name="slotId">The slot.</param>
    /// <param name="cancellationToken">Cancels waiting for the pool lock.</param>
    /// <returns>The lease that was ended, or null when the slot was not leased.</returns>
    /// <exception cref="ArgumentException"><paramref name="slotId"/> is not a safe file name.</exception>
    /// <exception cref="SlotUnavailableException">The holder is a live process of this machine, or the pool lock could not be taken.</exception>
    public async Task<SlotLeaseInfo?> BreakLeaseAsync(string slotId, CancellationToken cancellationToken)
    {
        PathSegment.Check(slotId, "slot id", nameof(slotId));
        using (await PoolLockAsync(cancellationToken).ConfigureAwait(false))
        {
            var path = LeasePath(slotId);
            if (!File.Exists(path))
            {
                return null;
            }

            var current = ReadLease(path);
            if (current is not null && string.Equals(current.Holder.Host, Environment.MachineName, StringComparison.Ordinal) && !current.Holder.IsKnownDead())
            {
                throw new SlotUnavailableException($"Slot '{slotId}' is held by runner {current.RunnerId}, a live process of this machine ({current.Holder}); stop it instead.");
            }

            AtomicFile.Delete(path);
            Log.LeaseBroken(_logger, slotId, current?.RunnerId ?? "(corrupt lease file)");
            return current is null ? new SlotLeaseInfo(slotId, "(corrupt lease file)", new TaskKey("-", "-"), "-", 0, DateTimeOffset.MinValue, true) : ToInfo(current);
        }
    }

    private static SlotLeaseInfo ToInfo(SlotLeaseDocument lease) =>
        new(lease.SlotId, lease.RunnerId, lease.Task, lease.Holder.Host, lease.Holder.ProcessId, lease.AcquiredAt, lease.Holder.IsKnownDead());
}
