namespace NecroCode.AgentRunner.Tests.Processes;

/// <summary>Counts output lines without keeping them.</summary>
public sealed class CountingEventSink : IRunEventSink
{
    private long _lines;

    public long Lines => Interlocked.Read(ref _lines);

    public void Publish(RunEvent runEvent)
    {
        if (runEvent is OutputLine)
        {
            Interlocked.Increment(ref _lines);
        }
    }
}
