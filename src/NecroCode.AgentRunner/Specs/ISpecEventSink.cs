namespace NecroCode.AgentRunner.Specs;

/// <summary>Receives the events of a spec run. Called from the tasks' runs, several at once when they run in parallel.</summary>
public interface ISpecEventSink
{
    /// <summary>Receives one event; must not block.</summary>
    /// <param name="specEvent">The event.</param>
    void Publish(SpecEvent specEvent);
}
