using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// One live subscriber of a <see cref="RunEventChannel"/>: holds at most <c>capacity</c> output lines that the
/// reader has not taken yet. Output lines beyond that are dropped for this subscriber only and replaced, before
/// the next event it does get, by one <see cref="OutputDropped"/> that counts them. Every other event is kept:
/// there are few of them (a handful a step), so a reader that never reads holds a bounded amount.
/// </summary>
internal sealed class LiveSubscription
{
    private readonly Channel<RunEvent> _queue = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly int _capacity;
    private readonly Action<LiveSubscription> _unsubscribe;
    private int _pendingLines;
    private long _dropped;
    private OutputLine? _lastDropped;
    private long _droppedRun;
    private int _enumerated;

    public LiveSubscription(int capacity, Action<LiveSubscription> unsubscribe)
    {
        _capacity = Math.Max(1, capacity);
        _unsubscribe = unsubscribe;
    }

    /// <summary>Output lines dropped for this subscriber so far.</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    /// <summary>Called by the channel's loop (one writer) for each event, in order.</summary>
    public void Write(RunEvent runEvent)
    {
        if (runEvent is OutputLine line)
        {
            if (Volatile.Read(ref _pendingLines) >= _capacity)
            {
                Interlocked.Increment(ref _dropped);
                _lastDropped = line;
                _droppedRun++;
                return;
            }

            FlushDropped();
            Interlocked.Increment(ref _pendingLines);
            _queue.Writer.TryWrite(line);
            return;
        }

        FlushDropped();
        _queue.Writer.TryWrite(runEvent);
    }

    /// <summary>Ends the subscription: the reader gets what is queued, then the end.</summary>
    public void Complete()
    {
        FlushDropped();
        _queue.Writer.TryComplete();
    }

    /// <summary>The events, once; leaving the enumeration early ends the subscription.</summary>
    public async IAsyncEnumerable<RunEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("The events of a run can be enumerated only once.");
        }

        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var runEvent))
                {
                    if (runEvent is OutputLine)
                    {
                        Interlocked.Decrement(ref _pendingLines);
                    }

                    yield return runEvent;
                }
            }
        }
        finally
        {
            _unsubscribe(this);
        }
    }

    private void FlushDropped()
    {
        if (_lastDropped is not { } last)
        {
            return;
        }

        // The notice takes the envelope of the last line it stands for, so sequence numbers stay increasing.
        _queue.Writer.TryWrite(new OutputDropped(last.Step, _droppedRun) { Sequence = last.Sequence, Timestamp = last.Timestamp, RunnerId = last.RunnerId, TaskId = last.TaskId });
        _lastDropped = null;
        _droppedRun = 0;
    }
}
