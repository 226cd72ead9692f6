using System.Collections.Concurrent;

namespace NecroCode.AgentRunner.Tests.Processes;

/// <summary>Records every published event; optionally reacts to each one.</summary>
public sealed class RecordingEventSink(Action<RunEvent>? onEvent = null) : IRunEventSink
{
    private readonly ConcurrentQueue<RunEvent> _events = new();

    public IReadOnlyList<RunEvent> Events => [.. _events];

    public IReadOnlyList<string> Lines(OutputSource source) =>
        [.. _events.OfType<OutputLine>().Where(l => l.Stream == source).Select(l => l.Text)];

    public void Publish(RunEvent runEvent)
    {
        _events.Enqueue(runEvent);
        onEvent?.Invoke(runEvent);
    }
}

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

/// <summary>Masks one fixed secret.</summary>
public sealed class FixedSecretMasker(string secret) : ISecretMasker
{
    public string Mask => "***";

    public void AddSecret(string value) => throw new NotSupportedException();

    public string Apply(string text) => text.Replace(secret, Mask, StringComparison.Ordinal);
}
