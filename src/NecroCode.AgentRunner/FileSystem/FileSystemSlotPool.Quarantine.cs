using System.Globalization;
using System.Text.Json;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemSlotPool
{
    /// <summary>
    /// Takes a leased slot out of rotation because it cannot be brought back clean: moves its folder to
    /// <c>.quarantine/</c>, records the reason beside it and ends the lease. The next task never gets it.
    /// </summary>
    /// <param name="lease">The current lease of the slot.</param>
    /// <param name="reason">Why (recorded in <c>.quarantine/&lt;slot&gt;.reason.json</c>).</param>
    /// <param name="cancellationToken">Cancels waiting for the pool lock.</param>
    /// <returns>Where the slot's folder now is.</returns>
    /// <exception cref="ArgumentException">The reason is empty.</exception>
    /// <exception cref="SlotUnavailableException">The lease is not the slot's current lease, or the slot could not be moved.</exception>
    public async Task<string> QuarantineAsync(SlotLease lease, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        PathSegment.Check(lease.SlotId, "slot id", nameof(lease));
        using (await PoolLockAsync(cancellationToken).ConfigureAwait(false))
        {
            var leasePath = LeasePath(lease.SlotId);
            if (ReadLease(leasePath) is not { } current || !string.Equals(current.LeaseId, lease.LeaseId, StringComparison.Ordinal))
            {
                throw new SlotUnavailableException($"Slot '{lease.SlotId}' of the pool '{_root}' cannot be quarantined: lease '{lease.LeaseId}' is not its current lease.");
            }

            AtomicFile.EnsureDirectory(_quarantine);
            var name = lease.SlotId;
            if (Directory.Exists(Path.Combine(_quarantine, name)))
            {
                name += "." + _timeProvider.GetUtcNow().ToString("yyyyMMddTHHmmssfff", CultureInfo.InvariantCulture);
            }

            var target = Path.Combine(_quarantine, name);
            try
            {
                Directory.Move(Path.Combine(_root, lease.SlotId), target);
                Libc.FsyncDirectory(_root);
                Libc.FsyncDirectory(_quarantine);
                var document = new SlotQuarantineDocument(lease.SlotId, reason, lease.LeaseId, _timeProvider.GetUtcNow(), ProcessIdentity.Current);
                await AtomicFile.WriteAsync(
                    Path.Combine(_quarantine, name + ".reason.json"),
                    JsonSerializer.SerializeToUtf8Bytes(document, FileSystemJsonContext.Default.SlotQuarantineDocument),
                    CancellationToken.None).ConfigureAwait(false);
                AtomicFile.Delete(leasePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SlotUnavailableException($"Slot '{lease.SlotId}' of the pool '{_root}' could not be quarantined: {ex.Message}", ex);
            }

            Log.SlotQuarantined(_logger, lease.SlotId, reason, target);
            return target;
        }
    }
}
