using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// The embedded slot pool: each subfolder of <see cref="FileSystemOptions.SlotsPath"/> is a slot (a clone of
/// the repository; the pool does not look inside). A lease is a file created atomically with its full content
/// (<c>link(2)</c> of a written temp file, which fails when the lease exists), safe across processes.
/// </summary>
/// <remarks>
/// Layout: <c>&lt;slots&gt;/&lt;slot&gt;/</c> the slots; <c>&lt;slots&gt;/.leases/&lt;slot&gt;.lease</c> the leases (lease id,
/// runner, task, holder pid, host, process start time, boot id); <c>&lt;slots&gt;/.leases/pool.lock</c> serialises
/// lease changes; <c>&lt;slots&gt;/.quarantine/&lt;slot&gt;/</c> and <c>&lt;slot&gt;.reason.json</c> hold slots taken out of
/// rotation. A lease whose holder process is gone (same host; pid reuse and reboots recognised) is reclaimed;
/// a live holder's lease, or one from another host, never is (an operator ends the latter with
/// <see cref="BreakLeaseAsync"/>). A lease records the holder run's <see cref="SlotRequest.ProcessTrackingId"/>; a
/// lease taken over from a dead holder reports it as <see cref="SlotLease.StaleProcessTrackingId"/>, so that the
/// acquiring run stops the processes that holder left behind.
/// </remarks>
public sealed partial class FileSystemSlotPool : ISlotPool
{
    private readonly string _root;
    private readonly string _leases;
    private readonly string _quarantine;
    private readonly FileSystemOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FileSystemSlotPool> _logger;

    /// <summary>Creates the pool over <see cref="FileSystemOptions.SlotsPath"/>.</summary>
    /// <param name="options">Where, and how long to wait for a slot.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public FileSystemSlotPool(IOptions<FileSystemOptions> options, TimeProvider timeProvider, ILogger<FileSystemSlotPool> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _root = _options.GetSlotsPath();
        _leases = Path.Combine(_root, ".leases");
        _quarantine = Path.Combine(_root, ".quarantine");
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The pool's folder (absolute).</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The requested slot id or the runner id is not a safe file name.</exception>
    /// <exception cref="SlotUnavailableException">
    /// The requested slot does not exist or stayed leased, or no slot became free within
    /// <see cref="FileSystemOptions.SlotAcquireTimeout"/>.
    /// </exception>
    public async Task<SlotLease> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RunnerId);
        if (request.SlotId is not null)
        {
            PathSegment.Check(request.SlotId, "slot id", nameof(request));
        }

        var start = _timeProvider.GetTimestamp();
        while (true)
        {
            string? busy;
            SlotLease? lease;
            using (await PoolLockAsync(cancellationToken).ConfigureAwait(false))
            {
                lease = TryLeaseOne(request, out busy);
            }

            if (lease is not null)
            {
                Log.SlotAcquired(_logger, lease.SlotId, request.RunnerId, request.Task.ToString(), _timeProvider.GetElapsedTime(start).TotalMilliseconds);
                return lease;
            }

            var elapsed = _timeProvider.GetElapsedTime(start);
            if (elapsed >= _options.SlotAcquireTimeout)
            {
                var waited = _options.SlotAcquireTimeout > TimeSpan.Zero ? $" after waiting {elapsed.TotalSeconds:0.#} s" : string.Empty;
                throw new SlotUnavailableException(request.SlotId is null
                    ? $"No free slot in the pool '{_root}'{waited}: {busy}."
                    : $"Slot '{request.SlotId}' of the pool '{_root}' is not available{waited}: {busy}.");
            }

            var delay = _options.SlotPollInterval < _options.SlotAcquireTimeout - elapsed ? _options.SlotPollInterval : _options.SlotAcquireTimeout - elapsed;
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(SlotLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!IsSafeSegment(lease.SlotId))
        {
            return;
        }

        using (await PoolLockAsync(cancellationToken).ConfigureAwait(false))
        {
            var path = LeasePath(lease.SlotId);
            if (ReadLease(path) is { } current && string.Equals(current.LeaseId, lease.LeaseId, StringComparison.Ordinal))
            {
                AtomicFile.Delete(path);
                Log.SlotReleased(_logger, lease.SlotId, current.RunnerId);
            }
            else
            {
                Log.ReleaseIgnored(_logger, lease.SlotId, lease.LeaseId);
            }
        }
    }

    /// <summary>Lists the slots in rotation (leased or not), by id.</summary>
    /// <returns>The slot ids, in ordinal order.</returns>
    public IReadOnlyList<string> GetSlotIds() =>
        Directory.Exists(_root)
            ? [.. Directory.EnumerateDirectories(_root).Select(Path.GetFileName).OfType<string>().Where(IsSafeSegment).Order(StringComparer.Ordinal)]
            : [];

    private SlotLease? TryLeaseOne(SlotRequest request, out string busy)
    {
        if (request.SlotId is { } wanted)
        {
            if (!Directory.Exists(Path.Combine(_root, wanted)))
            {
                busy = Directory.Exists(Path.Combine(_quarantine, wanted)) ? "it is quarantined" : "no such slot";
                return null;
            }

            return TryLease(wanted, request, out busy);
        }

        var slots = GetSlotIds();
        var reasons = new List<string>();
        foreach (var slot in slots)
        {
            if (TryLease(slot, request, out var reason) is { } lease)
            {
                busy = string.Empty;
                return lease;
            }

            reasons.Add($"'{slot}' {reason}");
        }

        if (slots.Count < _options.PoolSize)
        {
            var added = AddEmptySlot(slots);
            Log.SlotAdded(_logger, added, _root, slots.Count + 1, _options.PoolSize);
            return TryLease(added, request, out busy);
        }

        busy = slots.Count == 0
            ? $"the pool has no slots (clone the repository into a folder of '{_root}', or set NecroCode:FileSystem:PoolSize and NecroCode:Git:Origin so that the pool adds its own)"
            : string.Join("; ", reasons);
        return null;
    }

    /// <summary>Creates the folder of a new, empty slot named <c>slot-N</c> with the lowest free N (quarantined names stay taken).</summary>
    private string AddEmptySlot(IReadOnlyList<string> slots)
    {
        for (var n = 1; ; n++)
        {
            var id = "slot-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!slots.Contains(id, StringComparer.Ordinal) && !Directory.Exists(Path.Combine(_root, id)) && !Directory.Exists(Path.Combine(_quarantine, id)))
            {
                Directory.CreateDirectory(Path.Combine(_root, id));
                return id;
            }
        }
    }

    private SlotLease? TryLease(string slotId, SlotRequest request, out string busy)
    {
        string? staleTrace = null;
        var path = LeasePath(slotId);
        if (File.Exists(path))
        {
            var current = ReadLease(path);
            if (current is null)
            {
                Log.CorruptLease(_logger, path);
                busy = $"its lease file '{path}' is corrupt (left for inspection)";
                return null;
            }

            if (!current.Holder.IsKnownDead())
            {
                busy = $"leased by runner {current.RunnerId} for {current.Task} ({current.Holder}) since {current.AcquiredAt:O}";
                return null;
            }

            Log.StaleLeaseReclaimed(_logger, slotId, current.RunnerId, current.Holder.ToString());
            AtomicFile.Delete(path);
            staleTrace = current.TraceId;
        }

        var document = new SlotLeaseDocument(Guid.NewGuid().ToString("N"), slotId, request.RunnerId, request.Task, ProcessIdentity.Current, _timeProvider.GetUtcNow(), request.ProcessTrackingId);
        if (!AtomicFile.TryCreate(path, JsonSerializer.SerializeToUtf8Bytes(document, FileSystemJsonContext.Default.SlotLeaseDocument)))
        {
            busy = "leased by another runner a moment ago";
            return null;
        }

        busy = string.Empty;
        return new SlotLease(slotId, Path.Combine(_root, slotId), document.LeaseId) { StaleProcessTrackingId = staleTrace };
    }

    private static SlotLeaseDocument? ReadLease(string path)
    {
        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), FileSystemJsonContext.Default.SlotLeaseDocument);
            return document is { LeaseId: not null, Holder: not null } ? document : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<FileLock> PoolLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_leases, "pool.lock");
        try
        {
            AtomicFile.EnsureDirectory(_leases);
            return await FileLock.AcquireAsync(path, FileLockMode.Exclusive, _options.LockTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException)
        {
            throw new SlotUnavailableException($"The slot pool lock '{path}' could not be taken: {ex.Message}", ex);
        }
    }

    private string LeasePath(string slotId) => Path.Combine(_leases, slotId + ".lease");

    private static bool IsSafeSegment(string? value)
    {
        try
        {
            PathSegment.Check(value, "slot id", nameof(value));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
