namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Collects the resource figures of every <see cref="ProcessRunner"/> call made inside it (on the same logical
/// flow, through any provider and event sink in between): the highest peak memory and the sum of CPU time. The
/// orchestrator opens one per step, so a step's summary carries the figures of the processes it ran.
/// </summary>
internal sealed class ProcessUsageScope : IDisposable
{
    private static readonly AsyncLocal<ProcessUsageScope?> Ambient = new();

    private readonly ProcessUsageScope? _outer;
    private readonly Lock _gate = new();
    private long? _peakMemory;
    private TimeSpan? _cpuTime;
    private int _sandboxRefusals;

    private ProcessUsageScope(ProcessUsageScope? outer) => _outer = outer;

    /// <summary>The highest peak resident memory of a process tree run in the scope; null when none was measured.</summary>
    public long? PeakMemoryBytes
    {
        get
        {
            lock (_gate)
            {
                return _peakMemory;
            }
        }
    }

    /// <summary>The CPU time of the process trees run in the scope together; null when none was measured.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            lock (_gate)
            {
                return _cpuTime;
            }
        }
    }

    /// <summary>How many output lines of the confined processes run in the scope reported a refused operation.</summary>
    public int SandboxRefusals
    {
        get
        {
            lock (_gate)
            {
                return _sandboxRefusals;
            }
        }
    }

    /// <summary>Opens a scope for the current flow; processes run in it are counted in it only, not in outer ones.</summary>
    /// <returns>The scope; dispose it to return to the outer one.</returns>
    public static ProcessUsageScope Begin()
    {
        var scope = new ProcessUsageScope(Ambient.Value);
        Ambient.Value = scope;
        return scope;
    }

    /// <summary>Adds the figures of one finished process tree to the current scope, if any.</summary>
    /// <param name="peakMemoryBytes">Its peak resident memory, when measured.</param>
    /// <param name="cpuTime">Its CPU time, when measured.</param>
    public static void Record(long? peakMemoryBytes, TimeSpan? cpuTime)
    {
        if (Ambient.Value is not { } scope)
        {
            return;
        }

        lock (scope._gate)
        {
            if (peakMemoryBytes is { } peak)
            {
                scope._peakMemory = Math.Max(scope._peakMemory ?? 0, peak);
            }

            if (cpuTime is { } cpu)
            {
                scope._cpuTime = (scope._cpuTime ?? TimeSpan.Zero) + cpu;
            }
        }
    }

    /// <summary>Adds the refusals one confined process tree reported to the current scope, if any.</summary>
    /// <param name="count">How many output lines reported a refused operation.</param>
    public static void RecordRefusals(int count)
    {
        if (count == 0 || Ambient.Value is not { } scope)
        {
            return;
        }

        lock (scope._gate)
        {
            scope._sandboxRefusals += count;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ReferenceEquals(Ambient.Value, this))
        {
            Ambient.Value = _outer;
        }
    }
}
