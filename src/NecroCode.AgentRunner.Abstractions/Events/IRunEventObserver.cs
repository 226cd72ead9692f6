namespace NecroCode.AgentRunner;

/// <summary>
/// Receives every (masked) event of every run of a host. Register implementations in the
/// service collection; they are called in order, on the run's event loop, so keep them quick.
/// </summary>
public interface IRunEventObserver
{
    /// <summary>Called once per event, in sequence order.</summary>
    /// <param name="runEvent">The masked event.</param>
    void OnEvent(RunEvent runEvent);
}
