using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// The event channel of one run: stamps and masks every event once, at its entry, then fans it out
/// on one background loop to the run log (<see cref="RunLogWriter"/>), <see cref="ILogger"/>, the host's observers
/// and live subscribers. The run log's output lines are written to the file in batches, whenever the loop has
/// caught up with the queue (or the file buffer is full); other events reach the file at once.
/// </summary>
/// <remarks>
/// Memory stays bounded however much a run prints. At most <see cref="DefaultOutputCapacity"/> output lines wait
/// for the loop: past that, publishing an <see cref="OutputLine"/> waits until the loop caught up (asynchronously
/// for the output pumps, which then stop reading the child's pipe), so the sinks that must see every line (the run
/// log, the observers) slow the producer down instead of queueing without end. Other events are never held back
/// or dropped. A live subscriber that falls behind loses output lines, never other events, and is told how many
/// (<see cref="OutputDropped"/>); see <see cref="LiveSubscription"/>.
/// </remarks>
internal sealed partial class RunEventChannel : IAsyncRunEventSink, IAsyncDisposable
{
    /// <summary>Output lines that may wait for the loop before producers are made to wait.</summary>
    public const int DefaultOutputCapacity = 4096;

    /// <summary>Output lines a live subscriber may have unread before further lines are dropped for it.</summary>
    public const int DefaultSubscriberCapacity = 1024;

    // Output lines delivered before the queue's count is updated (one lock per batch, not per line).
    private const int DeliveredBatch = 64;

    private readonly Channel<RunEvent> _channel = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly string _runnerId;
    private readonly string _taskId;
    private readonly ISecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IRunEventObserver> _observers;
    private readonly ILogger _logger;
    private readonly RunLogWriter? _runLog;
    private readonly int _outputCapacity;
    private readonly int _subscriberCapacity;
    private readonly List<LiveSubscription> _subscribers = [];
    private readonly Task _loop;
    private long _sequence;
    private int _pendingLines;
    private bool _completed;
    private TaskCompletionSource? _room;

    public RunEventChannel(
        string runnerId,
        string taskId,
        ISecretMasker masker,
        TimeProvider time,
        IReadOnlyList<IRunEventObserver> observers,
        ILogger logger,
        RunLogWriter? runLog,
        int outputCapacity = DefaultOutputCapacity,
        int subscriberCapacity = DefaultSubscriberCapacity)
    {
        _runnerId = runnerId;
        _taskId = taskId;
        _masker = masker;
        _time = time;
        _observers = observers;
        _logger = logger;
        _runLog = runLog;
        _outputCapacity = Math.Max(1, outputCapacity);
        _subscriberCapacity = Math.Max(1, subscriberCapacity);
        _loop = Task.Run(PumpAsync);
    }

    /// <summary>Number of events published so far.</summary>
    public long Count => Interlocked.Read(ref _sequence);

    /// <summary>The most output lines that waited for the loop at once (for tests and diagnostics).</summary>
    public int PeakPendingLines { get; private set; }

    /// <summary>Publishes an event; an output line waits (blocking the caller) while the loop is behind.</summary>
    public void Publish(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        var masked = RunEventMasking.Mask(runEvent, _masker);
        while (TryEnqueue(masked) is { } room)
        {
            room.Wait();
        }
    }

    /// <summary>Publishes an event; an output line waits asynchronously while the loop is behind.</summary>
    public ValueTask PublishAsync(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        return EnqueueAsync(RunEventMasking.Mask(runEvent, _masker));
    }

    /// <summary>
    /// Publishes an output line its producer already masked: with the channel's own masker it is not masked again
    /// (one masking pass per byte of output); with another masker it is masked like any event.
    /// </summary>
    public ValueTask PublishMaskedAsync(OutputLine line, ISecretMasker maskedBy)
    {
        ArgumentNullException.ThrowIfNull(line);
        return ReferenceEquals(maskedBy, _masker) ? EnqueueAsync(line) : PublishAsync(line);
    }

    private async ValueTask EnqueueAsync(RunEvent masked)
    {
        while (TryEnqueue(masked) is { } room)
        {
            await room.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds a live subscriber that sees every event published from now on, until the run ends, except output
    /// lines it is too slow for (see <see cref="LiveSubscription"/>). Leaving the enumeration unsubscribes.
    /// </summary>
    public IAsyncEnumerable<RunEvent> Subscribe(CancellationToken cancellationToken)
    {
        var subscriber = new LiveSubscription(_subscriberCapacity, Unsubscribe);
        lock (_subscribers)
        {
            if (_channel.Reader.Completion.IsCompleted)
            {
                subscriber.Complete();
            }
            else
            {
                _subscribers.Add(subscriber);
            }
        }

        return subscriber.ReadAllAsync(cancellationToken);
    }

    /// <summary>Stamps and queues the event; returns a task to wait for when there is no room for it yet.</summary>
    private Task? TryEnqueue(RunEvent masked)
    {
        lock (_gate)
        {
            if (masked is OutputLine && !_completed)
            {
                if (_pendingLines >= _outputCapacity)
                {
                    _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return _room.Task;
                }

                _pendingLines++;
                PeakPendingLines = Math.Max(PeakPendingLines, _pendingLines);
            }

            var stamped = masked with { Sequence = ++_sequence, Timestamp = _time.GetUtcNow(), RunnerId = _runnerId, TaskId = _taskId };
            if (!_channel.Writer.TryWrite(stamped))
            {
                // Published after the run ended: nothing takes it any more.
                _sequence--;
            }

            return null;
        }
    }

    private void Unsubscribe(LiveSubscription subscriber)
    {
        lock (_subscribers)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>Stops accepting events and waits until every published event reached every sink.</summary>
    public async Task CompleteAsync()
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            _completed = true;
            _channel.Writer.TryComplete();
            (room, _room) = (_room, null);
        }

        room?.TrySetResult();

        await _loop.ConfigureAwait(false);
        FlushRunLog();
    }

    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var lines = 0;
            while (reader.TryRead(out var runEvent))
            {
                Deliver(runEvent);
                if (runEvent is OutputLine && ++lines == DeliveredBatch)
                {
                    Delivered(lines);
                    lines = 0;
                }
            }

            // Caught up: the batch of output lines goes to the file before the loop waits.
            Delivered(lines);
            FlushRunLog();
        }

        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete();
            }

            _subscribers.Clear();
        }
    }

    private void Deliver(RunEvent runEvent)
    {
        if (_runLog is not null)
        {
            try
            {
                _runLog.Write(runEvent);
            }
            catch (IOException ex)
            {
                Log.RunLogWriteFailed(_logger, _runnerId, ex);
            }
        }

        RunEventLog.Write(_logger, runEvent);
        RunEventObservers.Notify(_observers, runEvent, _logger);

        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Write(runEvent);
            }
        }
    }

    private void FlushRunLog()
    {
        try
        {
            _runLog?.Flush();
        }
        catch (IOException ex)
        {
            Log.RunLogWriteFailed(_logger, _runnerId, ex);
        }
    }

    /// <summary>Output lines left the queue; producers waiting for room go on once half of it is free.</summary>
    private void Delivered(int lines)
    {
        if (lines == 0)
        {
            return;
        }

        TaskCompletionSource? room = null;
        lock (_gate)
        {
            _pendingLines -= lines;
            if (_room is not null && _pendingLines <= _outputCapacity / 2)
            {
                (room, _room) = (_room, null);
            }
        }

        room?.TrySetResult();
    }
}
