using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

/// <summary>Tells the runner's <see cref="IRunEventObserver"/>s an event, wherever the run executes.</summary>
internal static partial class RunEventObservers
{
    /// <summary>Tells each observer <paramref name="runEvent"/>; an observer that throws is logged and never breaks the run.</summary>
    public static void Notify(IReadOnlyList<IRunEventObserver> observers, RunEvent runEvent, ILogger logger)
    {
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
                ObserverFailed(logger, observer.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(1110, LogLevel.Error, "Run event observer {Observer} failed")]
    private static partial void ObserverFailed(ILogger logger, string observer, Exception exception);
}
