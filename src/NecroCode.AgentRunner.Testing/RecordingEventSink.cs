namespace NecroCode.AgentRunner.Testing;

/// <summary>An <see cref="IRunEventSink"/> that keeps every event published to it, for assertions; thread-safe.</summary>
public sealed class RecordingEventSink : IRunEventSink
{
    private readonly List<RunEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly Action<RunEvent>? _onEvent;

    /// <summary>Creates a sink that only records.</summary>
    public RecordingEventSink()
    {
    }

    /// <summary>Creates a sink that records each event and then hands it to <paramref name="onEvent"/>.</summary>
    /// <param name="onEvent">
    /// Called on the publisher's thread after the event is recorded, e.g. to cancel a run once a given line was
    /// printed; what it throws reaches the publisher.
    /// </param>
    public RecordingEventSink(Action<RunEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        _onEvent = onEvent;
    }

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

    /// <summary>The message of every <see cref="RunWarning"/> so far.</summary>
    public IReadOnlyList<string> Warnings => [.. Events.OfType<RunWarning>().Select(w => w.Message)];

    /// <summary>
    /// Every event so far as one JSON line each, in the run log's format: to assert that a text appears in no
    /// field of any event.
    /// </summary>
    public IReadOnlyList<string> JsonLines => [.. Events.Select(AgentRunnerJson.SerializeLine)];

    /// <summary>The text of every <see cref="OutputLine"/> of one stream so far.</summary>
    /// <param name="stream">Standard output or standard error.</param>
    /// <returns>The lines, in order.</returns>
    public IReadOnlyList<string> LinesOf(OutputSource stream) => [.. Events.OfType<OutputLine>().Where(l => l.Stream == stream).Select(l => l.Text)];

    /// <inheritdoc />
    public void Publish(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        lock (_gate)
        {
            _events.Add(runEvent);
        }

        _onEvent?.Invoke(runEvent);
    }
}
