namespace NecroCode.AgentRunner.Testing;

/// <summary>An in-memory <see cref="ISlotPool"/> over folders the test provides; thread-safe.</summary>
public sealed class FakeSlotPool : ISlotPool
{
    private readonly Dictionary<string, string> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlotLease> _held = new(StringComparer.Ordinal);
    private readonly List<SlotLease> _released = [];
    private readonly Lock _gate = new();

    /// <summary>Adds a slot.</summary>
    /// <param name="slotId">Its id.</param>
    /// <param name="path">Its folder.</param>
    /// <returns>This pool.</returns>
    public FakeSlotPool AddSlot(string slotId, string path)
    {
        lock (_gate)
        {
            _slots.Add(slotId, path);
        }

        return this;
    }

    /// <summary>How many slots are in rotation (held or free; not quarantined).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>The leases currently held.</summary>
    public IReadOnlyList<SlotLease> Held
    {
        get
        {
            lock (_gate)
            {
                return [.. _held.Values];
            }
        }
    }

    /// <summary>Every lease released so far.</summary>
    public IReadOnlyList<SlotLease> Released
    {
        get
        {
            lock (_gate)
            {
                return [.. _released];
            }
        }
    }

    /// <inheritdoc />
    public Task<SlotLease> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            IEnumerable<string> candidates = request.SlotId is null ? _slots.Keys.Order(StringComparer.Ordinal) : _slots.ContainsKey(request.SlotId) ? [request.SlotId] : [];
            foreach (var id in candidates)
            {
                if (!_held.ContainsKey(id))
                {
                    var lease = new SlotLease(id, _slots[id], Guid.NewGuid().ToString("N"));
                    _held[id] = lease;
                    return Task.FromResult(lease);
                }
            }
        }

        throw new SlotUnavailableException(request.SlotId is null ? "No free slot in the pool." : $"Slot '{request.SlotId}' is not free or does not exist.");
    }

    /// <inheritdoc />
    public Task ReleaseAsync(SlotLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (_held.TryGetValue(lease.SlotId, out var held) && held.LeaseId == lease.LeaseId)
            {
                _held.Remove(lease.SlotId);
                _released.Add(lease);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The slots quarantined so far, with their reasons.</summary>
    public IReadOnlyDictionary<string, string> Quarantined
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_quarantined);
            }
        }
    }

    private readonly Dictionary<string, string> _quarantined = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task QuarantineAsync(SlotLease lease, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (_held.TryGetValue(lease.SlotId, out var held) && held.LeaseId == lease.LeaseId)
            {
                _held.Remove(lease.SlotId);
                _slots.Remove(lease.SlotId);
                _quarantined[lease.SlotId] = reason;
            }
        }

        return Task.CompletedTask;
    }
}
