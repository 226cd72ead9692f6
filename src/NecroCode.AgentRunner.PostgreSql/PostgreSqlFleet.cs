using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.PostgreSql.Concurrency;
using NecroCode.AgentRunner.PostgreSql.Connection;
using NecroCode.AgentRunner.PostgreSql.Leases;
using NecroCode.AgentRunner.PostgreSql.Locks;
using NecroCode.AgentRunner.PostgreSql.Notifications;
using NecroCode.AgentRunner.PostgreSql.Queue;
using NecroCode.AgentRunner.PostgreSql.Registry;
using NecroCode.AgentRunner.PostgreSql.Schema;
using NecroCode.AgentRunner.PostgreSql.Slots;

namespace NecroCode.AgentRunner.PostgreSql;

/// <summary>
/// The fleet's shared state in one PostgreSQL schema: the task registry and queue, branch locks, slot records and the
/// fleet-wide run limit, over one connection pool. <c>UsePostgreSql()</c> registers one per service provider; it can
/// also be created directly (tests, tools) — each instance behaves like one machine of the fleet
/// (<see cref="PostgreSqlOptions.MachineId"/>).
/// </summary>
/// <remarks>
/// Nothing is connected until the first operation (or <see cref="StartAsync"/>), which brings the schema up to date.
/// </remarks>
public sealed class PostgreSqlFleet : IAsyncDisposable, IDisposable
{
    private readonly PostgreSqlDatabase _database;
    private readonly NotificationListener _listener;
    private readonly LeaseRenewer _renewer;
    private readonly ILoggerFactory _loggers;
    private int _disposed;

    /// <summary>Creates the fleet's state over the database <paramref name="options"/> name.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="loggerFactory">Where the provider logs; nowhere when null.</param>
    /// <param name="timeProvider">The clock of retry pauses, waits and renewals (leases run on the server's clock); the system's when null.</param>
    /// <param name="credentials">Reads <see cref="PostgreSqlOptions.ConnectionStringSecret"/>; needed only when that is set.</param>
    /// <param name="masker">Told the connection's password, so that no log shows it; optional.</param>
    /// <exception cref="OptionsValidationException">The settings are invalid (the message says which, never showing the password).</exception>
    public PostgreSqlFleet(
        PostgreSqlOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        ICredentialProvider? credentials = null,
        ISecretMasker? masker = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _database = new PostgreSqlDatabase(options, credentials, masker, timeProvider ?? TimeProvider.System, _loggers.CreateLogger<PostgreSqlDatabase>());
        _listener = new NotificationListener(_database, _loggers.CreateLogger<NotificationListener>());
        _renewer = new LeaseRenewer(_database, _loggers.CreateLogger<LeaseRenewer>());
        Registry = new PostgreSqlTaskRegistry(_database, _loggers.CreateLogger<PostgreSqlTaskRegistry>());
        Queue = new PostgreSqlTaskQueue(_database, _listener, _loggers.CreateLogger<PostgreSqlTaskQueue>());
        BranchLock = new PostgreSqlBranchLock(_database, _renewer, _listener, _loggers.CreateLogger<PostgreSqlBranchLock>());
    }

    /// <summary>The schema version this package creates and understands.</summary>
    public static int SchemaVersion => SchemaMigrator.LatestVersion;

    /// <summary>The settings.</summary>
    public PostgreSqlOptions Options => _database.Options;

    /// <summary>The task registry.</summary>
    public ITaskRegistry Registry { get; }

    /// <summary>The task queue (on the registry's tasks).</summary>
    public ITaskQueue Queue { get; }

    /// <summary>The branch locks.</summary>
    public IBranchLock BranchLock { get; }

    /// <summary>Connects and brings the schema up to date, unless done already.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the database is ready.</returns>
    /// <exception cref="RegistryException">The server refused the login or has no such database, stayed out of reach, or holds a newer schema.</exception>
    public Task StartAsync(CancellationToken cancellationToken) => _database.StartAsync(cancellationToken);

    /// <summary>
    /// The run limiter of this machine: <paramref name="local"/> (this machine's own limit), and in addition one of the
    /// fleet-wide permits when <see cref="PostgreSqlOptions.MaxParallelRuns"/> is set.
    /// </summary>
    /// <param name="local">This machine's limiter.</param>
    /// <returns>The limiter to use.</returns>
    public IRunConcurrencyLimiter LimitRuns(IRunConcurrencyLimiter local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return Options.MaxParallelRuns is null
            ? local
            : new FleetRunLimiter(local, _database, _renewer, _listener, _loggers.CreateLogger<FleetRunLimiter>());
    }

    /// <summary>This machine's slot pool, with each lease recorded for the whole fleet to see (<see cref="ListSlotLeasesAsync"/>).</summary>
    /// <param name="local">This machine's pool (its slots on its disk).</param>
    /// <returns>The pool to use.</returns>
    public ISlotPool ShareSlots(ISlotPool local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return new SharedSlotPool(local, _database, _renewer, _loggers.CreateLogger<SharedSlotPool>());
    }

    /// <summary>Reads which slots are held on which machine, by every machine of the fleet.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The live slot records.</returns>
    /// <exception cref="RegistryException">The server could not be read.</exception>
    public Task<IReadOnlyList<FleetSlotLease>> ListSlotLeasesAsync(CancellationToken cancellationToken) => SharedSlotPool.ListAsync(_database, cancellationToken);

    /// <summary>Renews every lease this instance holds now, as its background renewal does every third of a lease.</summary>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>A task that completes when they are renewed.</returns>
    public Task RenewLeasesAsync(CancellationToken cancellationToken) => _renewer.RenewNowAsync(cancellationToken);

    /// <summary>Stops listening and renewing, and closes the connections (once; later calls do nothing). Leases still held lapse after one lease.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _renewer.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes everything, as <see cref="DisposeAsync"/> does, blocking until done (for containers disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Validate(PostgreSqlOptions options)
    {
        var failures = new IValidateOptions<PostgreSqlOptions>[] { new PostgreSqlOptionsValidator(), new PostgreSqlOptionsConsistencyValidator() }
            .Select(v => v.Validate(null, options))
            .Where(r => r.Failed)
            .SelectMany(r => r.Failures ?? [])
            .ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(nameof(PostgreSqlOptions), typeof(PostgreSqlOptions), failures);
        }
    }
}
