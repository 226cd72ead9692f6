using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Notifications;

/// <summary>
/// Listens for the schema's notifications on a connection of its own (started by the first wait) and wakes the waiters
/// of a channel. Each channel counts its wake-ups (its generation), so that a waiter that saw generation N returns at
/// once when N+1 came meanwhile. When the connection breaks, it reconnects with a growing pause and wakes every waiter
/// (a notification may have been missed in between); a waiter's timeout bounds every wait anyway.
/// </summary>
internal sealed partial class NotificationListener : IAsyncDisposable
{
    private readonly PostgreSqlDatabase _database;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<string> _channels;
    private readonly ConcurrentDictionary<string, Pulse> _pulses = new(StringComparer.Ordinal);
    private readonly BackgroundLoop _loop;

    /// <summary>Creates the listener; nothing is connected until the first wait.</summary>
    /// <param name="database">The database.</param>
    /// <param name="logger">The logger.</param>
    public NotificationListener(PostgreSqlDatabase database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _channels = Channels.All(database.Options.Schema);
        _loop = new BackgroundLoop(ListenAsync);
        foreach (var channel in _channels)
        {
            _pulses[channel] = new Pulse();
        }
    }

    /// <summary>How many wake-ups <paramref name="channel"/> has had so far.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>Its generation.</returns>
    public long Generation(string channel) => _pulses[channel].Generation;

    /// <summary>
    /// Waits until <paramref name="channel"/> is notified after generation <paramref name="seen"/>, or until
    /// <paramref name="timeout"/> has passed; returns at once when a wake-up came since <paramref name="seen"/>.
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="seen">The generation the caller last acted on.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes on a notification or at the timeout.</returns>
    public async Task WaitAsync(string channel, long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _loop.EnsureStarted();
        var pulse = _pulses[channel];
        var next = pulse.Next;
        if (pulse.Generation > seen || (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan))
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _database.Time, linked.Token);
        await Task.WhenAny(next, delay).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var backoff = _database.Options.ReconnectBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _database.OpenDedicatedAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += OnNotification;
                    foreach (var channel in _channels)
                    {
                        await using var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection);
                        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    Log.Listening(_logger, _database.Describe(), string.Join(", ", _channels));
                    backoff = _database.Options.ReconnectBackoff;
                    WakeAll();
                    while (true)
                    {
                        await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or RegistryException or System.Net.Sockets.SocketException)
            {
                Log.Lost(_logger, _database.Describe(), backoff.TotalMilliseconds, _database.Mask(ex.Message));
                WakeAll();
                try
                {
                    await Task.Delay(backoff, _database.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = backoff * 2 > _database.Options.MaxReconnectBackoff ? _database.Options.MaxReconnectBackoff : backoff * 2;
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (_pulses.TryGetValue(e.Channel, out var pulse))
        {
            pulse.Wake();
        }
    }

    private void WakeAll()
    {
        foreach (var pulse in _pulses.Values)
        {
            pulse.Wake();
        }
    }

    /// <summary>The wake-ups of one channel: a counter and the task the next wake-up completes.</summary>
    private sealed class Pulse
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _generation;

        public long Generation => Interlocked.Read(ref _generation);

        public Task Next => Volatile.Read(ref _next).Task;

        public void Wake()
        {
            // The count first: a waiter that reads the new task reads the new count as well.
            Interlocked.Increment(ref _generation);
            var woken = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            woken.TrySetResult();
        }
    }
}
