using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;

namespace NecroCode.AgentRunner.PostgreSql.Leases;

/// <summary>
/// Keeps this process's leases alive — branch locks, slot records, run permits — by pushing their expiry out every
/// third of <see cref="PostgreSqlOptions.LeaseDuration"/>, one statement per table. A lease that is gone from the
/// table (it expired while the process was paused or cut off, and was taken) is reported once and no longer renewed.
/// When the process dies, its leases simply expire.
/// </summary>
internal sealed partial class LeaseRenewer : IAsyncDisposable
{
    private readonly PostgreSqlDatabase _database;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(LeaseTable Table, string Id), string> _held = new();
    private readonly BackgroundLoop _loop;

    /// <summary>Creates the renewer; its loop starts with the first lease.</summary>
    /// <param name="database">The database.</param>
    /// <param name="logger">The logger.</param>
    public LeaseRenewer(PostgreSqlDatabase database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _loop = new BackgroundLoop(RenewLoopAsync);
    }

    /// <summary>Renews a lease until the returned handle is disposed.</summary>
    /// <param name="table">The table the lease is in.</param>
    /// <param name="leaseId">The lease's id in that table.</param>
    /// <param name="description">What the lease is, for the log (e.g. "branch lock of 'main'").</param>
    /// <returns>The handle; dispose it when the lease has been let go.</returns>
    public IDisposable Keep(LeaseTable table, string leaseId, string description)
    {
        _held[(table, leaseId)] = description;
        _loop.EnsureStarted();

        return new Handle(this, (table, leaseId));
    }

    /// <summary>Renews every held lease now (the loop does this on its own; tests call it to skip the wait).</summary>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>A task that completes when the leases are renewed.</returns>
    public async Task RenewNowAsync(CancellationToken cancellationToken)
    {
        foreach (var group in _held.Keys.GroupBy(k => k.Table))
        {
            var ids = group.Select(k => k.Id).ToArray();
            var renewed = await _database.RunAsync($"renew the {group.Key.Name} leases", (connection, _, ct) => Sql.ListAsync(
                connection,
                $"UPDATE {group.Key.Name} SET expires_at = now() + @lease WHERE {group.Key.IdColumn} = ANY(@ids) AND expires_at > now() RETURNING {group.Key.IdColumn}",
                r => r.GetString(0),
                ct,
                ("ids", ids), ("lease", _database.Options.LeaseDuration)), cancellationToken).ConfigureAwait(false);
            foreach (var lost in ids.Except(renewed, StringComparer.Ordinal))
            {
                if (_held.TryRemove((group.Key, lost), out var description))
                {
                    Log.Lost(_logger, description, _database.Options.LeaseDuration.TotalSeconds);
                }
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_database.Options.LeaseDuration / 3, _database.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await RenewNowAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryException ex)
                {
                    Log.RenewalFailed(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private sealed class Handle(LeaseRenewer owner, (LeaseTable, string) key) : IDisposable
    {
        public void Dispose() => owner._held.TryRemove(key, out _);
    }
}
