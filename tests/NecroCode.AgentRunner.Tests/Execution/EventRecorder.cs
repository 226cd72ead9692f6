using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Execution;

/// <summary>An observer of the runner that keeps every event it is told, in order.</summary>
internal sealed class EventRecorder : IRunEventObserver
{
    private readonly RecordingEventSink _events = new();

    public IReadOnlyList<RunEvent> Events => _events.Events;

    public void OnEvent(RunEvent runEvent) => _events.Publish(runEvent);
}
