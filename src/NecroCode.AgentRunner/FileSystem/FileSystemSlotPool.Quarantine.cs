using System.Globalization;
using System.Text.Json;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemSlotPool
{
    /// <summary>
    /// Takes a leased slot out of rotation because it cannot be brought back clean: moves its folder to
    /// <c>.quarantine/</c>, records the reason beside it (<c>.quarantine/&lt;slot&gt;.reason.json</c>) and ends the
    /// lease. The next task never gets it; the log names where the folder went. A lease that is not the
    /// slot's current one (released already, reclaimed, forged) changes nothing.
    /// </summary>
    /// <param name="lease">The current lease of the slot.</param>
    /// <param name="reason">Why the slot is quarantined.</param>
    /// <param name="cancellationToken">Cancels waiting for the pool lock.</param>
    /// <returns>A task that completes when the slot is out of rotation.</returns>
    /// <exception cref="ArgumentException">The reason is empty.</exception>
    /// <exception cref="SlotUnavailableException">The pool lock could not be taken, or the slot could not be moved.</exception>
    public async Task QuarantineAsync(SlotLease lease, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!IsSafeSegment(lease.SlotId))
        {
            Log.QuarantineIgnored(_logger, lease.SlotId, lease.LeaseId);
            return;
        }

        using (await PoolLockAsync(cancellationToken).ConfigureAwait(false))
        {
            var leasePath = LeasePath(lease.SlotId);
            if (ReadLease(leasePath) is not { } current || !string.Equals(current.LeaseId, lease.LeaseId, StringComparison.Ordinal))
            {
                Log.QuarantineIgnored(_logger, lease.SlotId, lease.LeaseId);
                return;
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
                UnixFile.FsyncDirectory(_root);
                UnixFile.FsyncDirectory(_quarantine);
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
        }
    }

    /// <summary>
    /// Lists the quarantined slots with their reasons, oldest first. To put one back into rotation, repair or
    /// re-clone its folder, move it back to the pool folder under its slot id and delete its <c>.reason.json</c>.
    /// </summary>
    /// <returns>The quarantined slots; a reason file that cannot be read is listed with a reason saying so.</returns>
    public IReadOnlyList<QuarantinedSlot> GetQuarantinedSlots()
    {
        if (!Directory.Exists(_quarantine))
        {
            return [];
        }

        var slots = new List<QuarantinedSlot>();
        foreach (var file in Directory.EnumerateFiles(_quarantine, "*.reason.json"))
        {
            var name = Path.GetFileName(file)[..^".reason.json".Length];
            var folder = Path.Combine(_quarantine, name);
            try
            {
                var document = JsonSerializer.Deserialize(File.ReadAllBytes(file), FileSystemJsonContext.Default.SlotQuarantineDocument);
                if (document is { SlotId: not null, Reason: not null })
                {
                    slots.Add(new QuarantinedSlot(document.SlotId, document.Reason, document.QuarantinedAt, folder));
                    continue;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                // Listed below with what is known.
            }

            slots.Add(new QuarantinedSlot(name, $"the reason file '{file}' cannot be read", File.GetLastWriteTimeUtc(file), folder));
        }

        return [.. slots.OrderBy(s => s.QuarantinedAt).ThenBy(s => s.SlotId, StringComparer.Ordinal)];
    }
}
