namespace NecroCode.AgentRunner.Testing;

/// <summary>An <see cref="IRunEventSink"/> that keeps every event published to it, for assertions.</summary>
public sealed class RecordingEventSink : IRunEventSink
{
    private readonly List<RunEvent> _events = [];
    private readonly Lock _gate = new();

    /// <summary>Every event so far, in publishing order.</summary>
    public IReadOnlyList<RunEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The text of every <see cref="OutputLine"/> so far.</summary>
    public IReadOnlyList<string> Lines => [.. Events.OfType<OutputLine>().Select(l => l.Text)];

    /// <inheritdoc />
    public void Publish(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        lock (_gate)
        {
            _events.Add(runEvent);
        }
    }
}
