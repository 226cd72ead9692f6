using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// The event channel of one run: stamps and masks every event once, at its entry, then fans it out
/// on one background loop (<see cref="RunEventFanOut"/>) to the run log (<see cref="RunLogWriter"/>), <see cref="ILogger"/>,
/// the host's observers and live subscribers. The run log's output lines are written to the file in batches: when the
/// file buffer is full, with the next other event, and otherwise at most <see cref="FlushInterval"/> after they were
/// delivered (a crash loses at most that much output); other events reach the file at once. Output
/// pumps publish their lines a block at a time (<see cref="OutputBlock"/>): one entry in the queue, one stamp, and
/// one sequence number per line.
/// </summary>
/// <remarks>
/// Memory stays bounded however much a run prints. At most <see cref="DefaultOutputCapacity"/> output lines (and one
/// block more) wait for the loop: past that, publishing an <see cref="OutputLine"/> or a block waits until the loop caught up (asynchronously
/// for the output pumps, which then stop reading the child's pipe), so the sinks that must see every line (the run
/// log, the observers) slow the producer down instead of queueing without end. Other events are never held back
/// or dropped. A live subscriber that falls behind loses output lines, never other events, and is told how many
/// (<see cref="OutputDropped"/>); see <see cref="LiveSubscription"/>.
/// </remarks>
internal sealed class RunEventChannel : IAsyncRunEventSink, IAsyncDisposable
{
    /// <summary>Output lines that may wait for the loop before producers are made to wait.</summary>
    public const int DefaultOutputCapacity = 4096;

    /// <summary>Output lines a live subscriber may have unread before further lines are dropped for it.</summary>
    public const int DefaultSubscriberCapacity = 1024;

    // Output lines delivered before the queue's count is updated (one lock per batch, not per line).
    private const int DeliveredBatch = 64;

    /// <summary>How long delivered output lines may wait in the run log's buffer before they are written to the file.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly Channel<Entry> _channel = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly string _runnerId;
    private readonly string _taskId;
    private readonly ISecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly RunEventFanOut _fanOut;
    private readonly int _outputCapacity;
    private readonly int _subscriberCapacity;
    private readonly Task _loop;
    private long _sequence;
    private int _pendingLines;
    private bool _completed;
    private TaskCompletionSource? _room;

    // Buffered output lines wait for the next flush; a one-shot timer, armed while they wait, nudges the loop when
    // they waited long enough (never a periodic timer: a channel nobody completes must not be kept alive by one).
    // Real time on purpose: an I/O batching interval, which a test's fake clock must not be able to stop.
    private readonly ITimer _flushTimer;
    private long _lastFlush = Environment.TickCount64;
    private int _flushArmed;

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
        _fanOut = new RunEventFanOut(runnerId, taskId, observers, logger, runLog);
        _outputCapacity = Math.Max(1, outputCapacity);
        _subscriberCapacity = Math.Max(1, subscriberCapacity);
        _flushTimer = TimeProvider.System.CreateTimer(_ => NudgeFlush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = Task.Run(PumpAsync);
    }

    /// <summary>Number of events published so far (each output line counts as one).</summary>
    public long Count => Interlocked.Read(ref _sequence);

    /// <summary>The most output lines that waited for the loop at once (for tests and diagnostics).</summary>
    public int PeakPendingLines { get; private set; }

    /// <summary>Publishes an event; an output line waits (blocking the caller) while the loop is behind.</summary>
    public void Publish(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        var masked = RunEventMasking.Mask(runEvent, _masker);
        while (TryEnqueue(new Entry(masked, null)) is { } room)
        {
            room.Wait();
        }
    }

    /// <summary>Publishes an event; an output line waits asynchronously while the loop is behind.</summary>
    public ValueTask PublishAsync(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        return EnqueueAsync(new Entry(RunEventMasking.Mask(runEvent, _masker), null));
    }

    /// <summary>
    /// Publishes an output line its producer already masked: with the channel's own masker it is not masked again
    /// (one masking pass per byte of output); with another masker it is masked like any event.
    /// </summary>
    public ValueTask PublishMaskedAsync(OutputLine line, ISecretMasker maskedBy)
    {
        ArgumentNullException.ThrowIfNull(line);
        return ReferenceEquals(maskedBy, _masker) ? EnqueueAsync(new Entry(line, null)) : PublishAsync(line);
    }

    /// <summary>
    /// Publishes a block of output lines its producer already masked, waiting asynchronously while the loop is
    /// behind: with the channel's own masker as it is, with another masker after masking each line.
    /// </summary>
    public ValueTask PublishOutputAsync(OutputBlock block, ISecretMasker maskedBy)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        return EnqueueAsync(new Entry(null, ReferenceEquals(maskedBy, _masker) ? block : block.Masked(_masker)));
    }

    private async ValueTask EnqueueAsync(Entry entry)
    {
        while (TryEnqueue(entry) is { } room)
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
        var subscriber = new LiveSubscription(_subscriberCapacity, _fanOut.Remove);
        if (!_fanOut.TryAdd(subscriber))
        {
            subscriber.Complete();
        }

        return subscriber.ReadAllAsync(cancellationToken);
    }

    /// <summary>Stamps and queues an event or a block; returns a task to wait for when there is no room for it yet.</summary>
    private Task? TryEnqueue(Entry entry)
    {
        lock (_gate)
        {
            var lines = entry.Lines;
            if (lines > 0 && !_completed)
            {
                if (_pendingLines >= _outputCapacity)
                {
                    _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return _room.Task;
                }

                _pendingLines += lines;
                PeakPendingLines = Math.Max(PeakPendingLines, _pendingLines);
            }

            var now = _time.GetUtcNow();
            Entry stamped;
            if (entry.Block is { } block)
            {
                block.Stamp(_sequence + 1, now);
                stamped = entry;
            }
            else
            {
                stamped = new Entry(entry.Event! with { Sequence = _sequence + 1, Timestamp = now, RunnerId = _runnerId, TaskId = _taskId }, null);
            }

            // After the run ended nothing takes it any more (and it took no room: the writer completes with _completed).
            if (_channel.Writer.TryWrite(stamped))
            {
                _sequence += Math.Max(1, lines);
            }

            return null;
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

        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _fanOut.FlushRunLog();
    }

    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private async Task PumpAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var lines = 0;
            var flushDue = false;
            while (reader.TryRead(out var entry))
            {
                if (entry.Block is { } block)
                {
                    _fanOut.Deliver(block);
                }
                else if (entry.Event is { } runEvent)
                {
                    _fanOut.Deliver(runEvent);
                }
                else
                {
                    flushDue = true;
                }

                lines += entry.Lines;
                if (lines >= DeliveredBatch)
                {
                    Delivered(lines);
                    lines = 0;
                }
            }

            // Caught up: the buffered output lines go to the file if they waited long enough (else the timer says when).
            Delivered(lines);
            if (flushDue || Environment.TickCount64 - _lastFlush >= (long)FlushInterval.TotalMilliseconds)
            {
                _lastFlush = Environment.TickCount64;
                _fanOut.FlushRunLog();
            }
            else if (Interlocked.Exchange(ref _flushArmed, 1) == 0)
            {
                _flushTimer.Change(FlushInterval, Timeout.InfiniteTimeSpan);
            }
        }

        _fanOut.CompleteSubscribers();
    }

    /// <summary>
    /// Asks the loop to flush the run log (an empty entry; called by the timer the loop armed when it left lines in the
    /// buffer). Lines flushed since cost nothing: a flush of an empty buffer writes nothing.
    /// </summary>
    private void NudgeFlush()
    {
        Volatile.Write(ref _flushArmed, 0);
        _channel.Writer.TryWrite(default);
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

    /// <summary>One entry of the queue: an event, a block of output lines, or neither (a request to flush the run log).</summary>
    private readonly record struct Entry(RunEvent? Event, OutputBlock? Block)
    {
        /// <summary>The output lines it holds.</summary>
        public int Lines => Block?.Count ?? (Event is OutputLine ? 1 : 0);
    }
}
