using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Where the events of a run out of process go on the host, as a local run's do: the request's own sink (when it
/// has one) and the runner's <see cref="IRunEventObserver"/>s. An observer that throws is logged and never breaks the run.
/// </summary>
internal sealed partial class RemoteRunEvents(IRunEventSink? requested, IReadOnlyList<IRunEventObserver> observers, ILogger logger) : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
        requested?.Publish(runEvent);
        foreach (var observer in observers)
        {
            try
            {
                observer.OnEvent(runEvent);
            }
#pragma warning disable CA1031 // An observer of the host must not break the run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ObserverFailed(logger, observer.GetType().Name, ex);
            }
        }
    }
}
