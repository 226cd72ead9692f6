using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// The event channel of one run: stamps and masks every event once, at its entry, then fans it out
/// on one background loop to the run log (JSON lines), <see cref="ILogger"/>, the host's observers and
/// live subscribers. Publishing never waits for them.
/// </summary>
internal sealed partial class RunEventChannel : IRunEventSink, IAsyncDisposable
{
    private readonly Channel<RunEvent> _channel = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly string _runnerId;
    private readonly string _taskId;
    private readonly ISecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IRunEventObserver> _observers;
    private readonly ILogger _logger;
    private readonly TextWriter? _runLog;
    private readonly List<Channel<RunEvent>> _subscribers = [];
    private readonly Task _loop;
    private long _sequence;

    public RunEventChannel(string runnerId, string taskId, ISecretMasker masker, TimeProvider time, IReadOnlyList<IRunEventObserver> observers, ILogger logger, TextWriter? runLog)
    {
        _runnerId = runnerId;
        _taskId = taskId;
        _masker = masker;
        _time = time;
        _observers = observers;
        _logger = logger;
        _runLog = runLog;
        _loop = Task.Run(PumpAsync);
    }

    /// <summary>Number of events published so far.</summary>
    public long Count => Interlocked.Read(ref _sequence);

    public void Publish(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        var masked = RunEventMasking.Mask(runEvent, _masker);
        lock (_gate)
        {
            var stamped = masked with { Sequence = ++_sequence, Timestamp = _time.GetUtcNow(), RunnerId = _runnerId, TaskId = _taskId };
            _channel.Writer.TryWrite(stamped);
        }
    }

    /// <summary>Adds a live subscriber that sees every event published from now on, until the run ends.</summary>
    public IAsyncEnumerable<RunEvent> Subscribe(CancellationToken cancellationToken)
    {
        var subscriber = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        lock (_subscribers)
        {
            if (_channel.Reader.Completion.IsCompleted)
            {
                subscriber.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(subscriber);
            }
        }

        return subscriber.Reader.ReadAllAsync(cancellationToken);
    }

    /// <summary>Stops accepting events and waits until every published event reached every sink.</summary>
    public async Task CompleteAsync()
    {
        lock (_gate)
        {
            _channel.Writer.TryComplete();
        }

        await _loop.ConfigureAwait(false);
        if (_runLog is not null)
        {
            await _runLog.FlushAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private async Task PumpAsync()
    {
        await foreach (var runEvent in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Deliver(runEvent);
        }

        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
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
                _runLog.WriteLine(AgentRunnerJson.SerializeLine(runEvent));
            }
            catch (IOException ex)
            {
                Log.RunLogWriteFailed(_logger, _runnerId, ex);
            }
        }

        LogEvent(runEvent);
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnEvent(runEvent);
            }
#pragma warning disable CA1031 // An observer of the host must not break the run.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ObserverFailed(_logger, observer.GetType().Name, ex);
            }
        }

        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(runEvent);
            }
        }
    }

    private void LogEvent(RunEvent runEvent)
    {
        switch (runEvent)
        {
            case StepStarted e:
                Log.StepStarted(_logger, e.Step, e.TaskId, e.RunnerId);
                break;
            case StepFinished e:
                Log.StepFinished(_logger, e.Step, e.TaskId, e.Outcome, e.Duration.TotalMilliseconds, e.Message);
                break;
            case StateChanged e:
                Log.StateChanged(_logger, e.RunnerId, e.From, e.To, e.Reason);
                break;
            case RetryScheduled e:
                Log.Retry(_logger, e.Step, e.Operation, e.Attempt, e.Delay.TotalMilliseconds, e.Error);
                break;
            case RunWarning e:
                Log.Warning(_logger, e.Step, e.Message);
                break;
            case OutputLine e:
                Log.Output(_logger, e.Step, e.Stream, e.Text);
                break;
            case ArtifactStored e:
                Log.Artifact(_logger, e.Artifact.Name, e.Artifact.Uri?.ToString() ?? e.Artifact.LocalPath);
                break;
            case RunFinished e:
                Log.RunFinished(_logger, e.TaskId, e.Outcome, e.Duration.TotalSeconds, e.Error);
                break;
            default:
                break;
        }
    }
}
