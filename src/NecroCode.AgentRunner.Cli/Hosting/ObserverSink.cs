namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>Hands the events an execution environment forwards to the host's observers (progress, JSON lines).</summary>
internal sealed class ObserverSink(IEnumerable<IRunEventObserver> observers) : IRunEventSink
{
    private readonly IRunEventObserver[] _observers = [.. observers];

    public void Publish(RunEvent runEvent)
    {
        foreach (var observer in _observers)
        {
            observer.OnEvent(runEvent);
        }
    }
}
