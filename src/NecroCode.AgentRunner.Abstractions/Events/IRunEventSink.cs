namespace NecroCode.AgentRunner;

/// <summary>Where a step or provider publishes the events of a run.</summary>
/// <remarks>
/// Publishing never blocks on subscribers. The run's channel masks secrets and stamps the
/// envelope (sequence, time, runner, task) before fanning the event out.
/// </remarks>
public interface IRunEventSink
{
    /// <summary>Publishes one event of the run.</summary>
    /// <param name="runEvent">The event; its envelope fields are overwritten.</param>
    void Publish(RunEvent runEvent);
}
