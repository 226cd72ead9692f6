using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.PostgreSql.Schema;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Connection;

/// <summary>
/// The provider's way to the server: opens the data source on first use (reading the connection string from its
/// secret when so configured, and bringing the schema up to date), and runs each operation on a pooled connection,
/// retrying it with a growing pause while the server cannot be reached, for at most
/// <see cref="PostgreSqlOptions.ReconnectTimeout"/>.
/// </summary>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable
{
    private readonly ICredentialProvider? _credentials;
    private readonly ISecretMasker? _masker;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlDataSource? _source;
    private ConnectionTarget? _target;
    private bool _disposed;

    /// <summary>Creates the database access; nothing is connected yet.</summary>
    /// <param name="options">The provider's settings.</param>
    /// <param name="credentials">Where the secret named by <see cref="PostgreSqlOptions.ConnectionStringSecret"/> is read; needed only then.</param>
    /// <param name="masker">The runner's masker, told the password so that no log shows it; optional.</param>
    /// <param name="timeProvider">The clock of the retry pauses.</param>
    /// <param name="logger">The logger.</param>
    public PostgreSqlDatabase(PostgreSqlOptions options, ICredentialProvider? credentials, ISecretMasker? masker, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options;
        Time = timeProvider;
        _credentials = credentials;
        _masker = masker;
        _logger = logger;
    }

    /// <summary>The provider's settings.</summary>
    public PostgreSqlOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The server, for messages; "PostgreSQL" until the connection string is known.</summary>
    public string Describe() => _target is { } target ? $"PostgreSQL at {target}" : "PostgreSQL";

    /// <summary>Removes the password and the connection string from <paramref name="text"/>.</summary>
    /// <param name="text">A message.</param>
    /// <returns>The message without them.</returns>
    public string Mask(string text) => _target is { } target ? target.Mask(text) : text;

    /// <summary>Runs <paramref name="body"/> on a pooled connection, retrying it while the server cannot be reached.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">What is done, for messages (e.g. "claim task a/b").</param>
    /// <param name="body">The operation; its second argument counts the attempts from 1, so that a retry can find out whether an earlier attempt took effect.</param>
    /// <param name="cancellationToken">Cancels the operation and its retries.</param>
    /// <returns>The result.</returns>
    /// <exception cref="RegistryException">The server refused the operation, or stayed out of reach (then transient); the message names host, port and database, never the password.</exception>
    public async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, int, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var retry = new RetryClock(this);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var source = await GetSourceAsync(cancellationToken).ConfigureAwait(false);
                var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var result = await body(connection, attempt, cancellationToken).ConfigureAwait(false);
                    if (attempt > 1)
                    {
                        Log.Recovered(_logger, Describe(), operation, attempt);
                    }

                    return result;
                }
            }
            catch (Exception ex) when (Faults.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await retry.PauseOrThrowAsync(ex, operation, attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException && !cancellationToken.IsCancellationRequested)
            {
                throw Faults.Refused(ex, _target, operation);
            }
        }
    }

    /// <summary>Opens a connection of its own, outside the pool (so that what it LISTENs to never reaches a pooled connection).</summary>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open connection.</returns>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        await GetSourceAsync(cancellationToken).ConfigureAwait(false);
        var connection = new NpgsqlConnection(_target!.UnpooledConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the data source and brings the schema up to date, unless done already.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the database is ready.</returns>
    public Task StartAsync(CancellationToken cancellationToken) =>
        RunAsync("start", static (_, _, _) => Task.FromResult(0), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_source is not null)
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<NpgsqlDataSource> GetSourceAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _source) is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_source is not null)
            {
                return _source;
            }

            _target ??= ConnectionTarget.Create(await ReadConnectionStringAsync(cancellationToken).ConfigureAwait(false), Options);
            if (_target.PasswordForMasking() is { } password)
            {
                _masker?.AddSecret(password);
            }

            var source = NpgsqlDataSource.Create(_target.ConnectionString);
            try
            {
                var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var version = await SchemaMigrator.MigrateAsync(connection, Options.Schema, _target.ToString(), _logger, cancellationToken).ConfigureAwait(false);
                    Log.Ready(_logger, _target.ToString(), Options.Schema, version);
                }
            }
            catch
            {
                await source.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            Volatile.Write(ref _source, source);
            return source;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ReadConnectionStringAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Options.ConnectionString))
        {
            return Options.ConnectionString;
        }

        var name = Options.ConnectionStringSecret
            ?? throw new RegistryException($"{PostgreSqlOptions.SectionName}: neither ConnectionString nor ConnectionStringSecret is set.");
        if (_credentials is null)
        {
            throw new RegistryException($"{PostgreSqlOptions.SectionName}:ConnectionStringSecret '{name}' needs the runner's credentials (UseCredentials()), and none are registered.");
        }

        using var secret = await _credentials.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException($"{PostgreSqlOptions.SectionName}:ConnectionStringSecret names the secret '{name}', which none of the runner's credential sources holds.");
        return secret.Reveal();
    }

    /// <summary>Counts the time an operation has been retried and pauses between attempts.</summary>
    private sealed class RetryClock(PostgreSqlDatabase owner)
    {
        private readonly long _start = owner.Time.GetTimestamp();
        private TimeSpan _backoff = owner.Options.ReconnectBackoff;

        public async Task PauseOrThrowAsync(Exception fault, string operation, int attempt, CancellationToken cancellationToken)
        {
            var elapsed = owner.Time.GetElapsedTime(_start);
            var reason = owner._target is { } target ? target.Mask(Faults.Describe(fault)) : Faults.Describe(fault);
            if (elapsed >= owner.Options.ReconnectTimeout)
            {
                throw new RegistryException(
                    $"{owner.Describe()} could not {operation}: it did not answer for {elapsed.TotalSeconds:0.#} s ({attempt} attempts; last: {reason}).",
                    fault,
                    isTransient: true);
            }

            var pause = _backoff / 2 + TimeSpan.FromTicks(Random.Shared.NextInt64(_backoff.Ticks / 2 + 1));
            var left = owner.Options.ReconnectTimeout - elapsed;
            Log.Retrying(owner._logger, owner.Describe(), operation, attempt, pause.TotalMilliseconds, reason);
            await Task.Delay(pause < left ? pause : left, owner.Time, cancellationToken).ConfigureAwait(false);
            _backoff = _backoff * 2 > owner.Options.MaxReconnectBackoff ? owner.Options.MaxReconnectBackoff : _backoff * 2;
        }
    }
}
