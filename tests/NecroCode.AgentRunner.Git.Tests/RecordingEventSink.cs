using System.Collections.Concurrent;

namespace NecroCode.AgentRunner.Git.Tests;

/// <summary>Keeps every published event.</summary>
public sealed class RecordingEventSink : IRunEventSink
{
    private readonly ConcurrentQueue<RunEvent> _events = new();

    /// <summary>The events, in order.</summary>
    public IReadOnlyList<RunEvent> Events => [.. _events];

    /// <summary>The messages of the warnings.</summary>
    public IReadOnlyList<string> Warnings => [.. _events.OfType<RunWarning>().Select(w => w.Message)];

    /// <inheritdoc />
    public void Publish(RunEvent runEvent) => _events.Enqueue(runEvent);
}
