using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Where the events of a run out of process go on the host, as a local run's do: the request's own sink (when it
/// has one) and the runner's <see cref="IRunEventObserver"/>s. An observer that throws is logged and never breaks the run.
/// </summary>
internal sealed class RemoteRunEvents(IRunEventSink? requested, IReadOnlyList<IRunEventObserver> observers, ILogger logger) : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
        requested?.Publish(runEvent);
        RunEventObservers.Notify(observers, runEvent, logger);
    }
}
