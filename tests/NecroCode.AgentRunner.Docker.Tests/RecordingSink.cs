using System.Collections.Concurrent;

namespace NecroCode.AgentRunner.Docker.Tests;

/// <summary>Keeps every forwarded run event.</summary>
internal sealed class RecordingSink : IRunEventSink
{
    private readonly ConcurrentQueue<RunEvent> _events = new();

    public IReadOnlyList<RunEvent> Events => [.. _events];

    public IEnumerable<string> Lines => Events.Select(AgentRunnerJson.SerializeLine);

    public void Publish(RunEvent runEvent) => _events.Enqueue(runEvent);
}
