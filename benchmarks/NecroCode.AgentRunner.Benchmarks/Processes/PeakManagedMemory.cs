namespace NecroCode.AgentRunner.Benchmarks.Processes;

/// <summary>Samples the managed heap every 5 ms and keeps the highest value seen (GC heap size after the last GC or current total).</summary>
internal sealed class PeakManagedMemory : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakManagedMemory()
    {
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
    }

    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = Math.Max(GC.GetTotalMemory(false), GC.GetGCMemoryInfo().HeapSizeBytes);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
