using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// Hands each event of a run, in order, to everything that takes it: the run log, <see cref="ILogger"/>, the host's
/// observers and the live subscribers. Called by the event channel's loop only (one caller at a time); the channel
/// owns queueing, stamping and back-pressure, this type only delivery.
/// </summary>
/// <remarks>
/// A block of output lines goes to the run log as it is; an <see cref="OutputLine"/> per line is made only when a
/// logger at debug level, an observer or a subscriber takes them, so a run that nobody watches line by line
/// allocates nothing per line on its way to the file.
/// </remarks>
internal sealed partial class RunEventFanOut(string runnerId, string taskId, IReadOnlyList<IRunEventObserver> observers, ILogger logger, RunLogWriter? runLog)
{
    private readonly List<LiveSubscription> _subscribers = [];
    private bool _ended;

    /// <summary>Adds a subscriber; false when the run ended already (it gets nothing more).</summary>
    public bool TryAdd(LiveSubscription subscriber)
    {
        lock (_subscribers)
        {
            if (_ended)
            {
                return false;
            }

            _subscribers.Add(subscriber);
            return true;
        }
    }

    /// <summary>Removes a subscriber.</summary>
    public void Remove(LiveSubscription subscriber)
    {
        lock (_subscribers)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>Tells every subscriber that the run ended; later ones are refused.</summary>
    public void CompleteSubscribers()
    {
        lock (_subscribers)
        {
            _ended = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete();
            }

            _subscribers.Clear();
        }
    }

    /// <summary>Delivers one stamped event.</summary>
    public void Deliver(RunEvent runEvent)
    {
        WriteRunLog(runEvent, static (log, item) => log.Write(item));

        RunEventLog.Write(logger, runEvent);
        RunEventObservers.Notify(observers, runEvent, logger);
        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Write(runEvent);
            }
        }
    }

    /// <summary>Delivers a stamped block of output lines: to the run log at once, to the others line by line.</summary>
    public void Deliver(OutputBlock block)
    {
        WriteRunLog(block, static (log, item) => log.Write(item));

        LiveSubscription[] subscribers;
        lock (_subscribers)
        {
            subscribers = _subscribers.Count == 0 ? [] : [.. _subscribers];
        }

        if (!RunEventLog.LogsOutput(logger) && observers.Count == 0 && subscribers.Length == 0)
        {
            return;
        }

        for (var i = 0; i < block.Count; i++)
        {
            var line = block.ToLine(i, runnerId, taskId);
            RunEventLog.Write(logger, line);
            RunEventObservers.Notify(observers, line, logger);
            foreach (var subscriber in subscribers)
            {
                subscriber.Write(line);
            }
        }
    }

    /// <summary>Writes to the run log, if there is one; whatever it throws is logged and the loop goes on (producers wait for it).</summary>
    private void WriteRunLog<T>(T item, Action<RunLogWriter, T> write)
    {
        if (runLog is null)
        {
            return;
        }

        try
        {
            write(runLog, item);
        }
#pragma warning disable CA1031 // Whatever the run log throws, the loop goes on: producers wait for it to drain the queue.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RunLogWriteFailed(logger, runnerId, ex);
        }
    }

    /// <summary>Writes the run log's buffered output lines to its file.</summary>
    public void FlushRunLog()
    {
        try
        {
            runLog?.Flush();
        }
#pragma warning disable CA1031 // As above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RunLogWriteFailed(logger, runnerId, ex);
        }
    }

    [LoggerMessage(1109, LogLevel.Error, "Writing the run log of runner {RunnerId} failed")]
    private static partial void RunLogWriteFailed(ILogger logger, string runnerId, Exception exception);
}
