using System.Globalization;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using NecroCode.AgentRunner.PostgreSql.Leases;
using NecroCode.AgentRunner.PostgreSql.Notifications;

namespace NecroCode.AgentRunner.PostgreSql.Concurrency;

/// <summary>
/// Bounds the runs of the whole fleet: a run first takes a permit of its own machine's limiter, then one of the
/// <see cref="PostgreSqlOptions.MaxParallelRuns"/> permits in <c>run_permits</c> (rows 0 … N-1, taken with
/// <c>FOR UPDATE SKIP LOCKED</c> when free or expired). A held permit is renewed by this process; a crashed holder's
/// permit is free again after one lease. A waiting run wakes when a permit is given back, or looks again after
/// <see cref="PostgreSqlOptions.PollInterval"/>.
/// </summary>
internal sealed partial class FleetRunLimiter(
    IRunConcurrencyLimiter local, PostgreSqlDatabase database, LeaseRenewer renewer, NotificationListener listener, ILogger logger) : IRunConcurrencyLimiter
{
    private const string TakeSql = """
        WITH free AS (
            SELECT permit FROM run_permits
            WHERE permit < @limit AND (expires_at IS NULL OR expires_at <= now() OR permit_id = @id)
            ORDER BY permit_id = @id DESC NULLS LAST, permit
            LIMIT 1 FOR UPDATE SKIP LOCKED
        )
        UPDATE run_permits AS p
        SET permit_id = @id, machine_id = @machine, process_id = @pid, acquired_at = now(), expires_at = now() + @lease
        FROM free WHERE p.permit = free.permit
        RETURNING p.permit
        """;

    private const string RowsSql = "INSERT INTO run_permits (permit) SELECT generate_series(0, @limit - 1) ON CONFLICT (permit) DO NOTHING";

    private const string ReleaseSql = """
        WITH released AS (
            UPDATE run_permits SET permit_id = NULL, machine_id = NULL, process_id = NULL, acquired_at = NULL, expires_at = NULL
            WHERE permit_id = @id RETURNING 1
        )
        SELECT count(*) FROM (SELECT pg_notify(@channel, 'released') FROM released) AS n
        """;

    private readonly string _channel = Channels.Permits(database.Options.Schema);
    private readonly int _limit = database.Options.MaxParallelRuns ?? throw new ArgumentException("The fleet-wide limit needs PostgreSqlOptions.MaxParallelRuns.", nameof(database));
    private volatile bool _rowsExist;

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var localPermit = await local.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = Guid.NewGuid().ToString("N");
            var start = database.Time.GetTimestamp();
            var waiting = false;
            while (true)
            {
                var seen = listener.Generation(_channel);
                var permit = await database.RunAsync("take a fleet-wide run permit", async (connection, _, ct) =>
                {
                    if (!_rowsExist)
                    {
                        await Sql.ExecuteAsync(connection, RowsSql, ct, ("limit", _limit)).ConfigureAwait(false);
                        _rowsExist = true;
                    }

                    return await Sql.FirstAsync(
                        connection,
                        TakeSql,
                        r => (int?)r.GetInt32(0),
                        ct,
                        ("limit", _limit), ("id", id), ("machine", database.Options.MachineId), ("pid", Environment.ProcessId), ("lease", database.Options.LeaseDuration)).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                if (permit is { } index)
                {
                    Log.Taken(logger, index, _limit, database.Time.GetElapsedTime(start).TotalMilliseconds);
                    var renewal = renewer.Keep(LeaseTable.RunPermits, id, string.Create(CultureInfo.InvariantCulture, $"fleet-wide run permit {index}"));
                    return new Permit(this, id, index, renewal, localPermit);
                }

                if (!waiting)
                {
                    waiting = true;
                    Log.Waiting(logger, _limit);
                }

                await listener.WaitAsync(_channel, seen, database.Options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await localPermit.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReleaseAsync(string id, int index)
    {
        try
        {
            await database.RunAsync("give back a fleet-wide run permit", (connection, _, ct) =>
                Sql.ExecuteAsync(connection, ReleaseSql, ct, ("id", id), ("channel", _channel)), CancellationToken.None).ConfigureAwait(false);
            Log.Released(logger, index);
        }
        catch (RegistryException ex)
        {
            // The permit expires by itself after one lease.
            Log.ReleaseFailed(logger, index, ex.Message);
        }
    }

    private sealed class Permit(FleetRunLimiter owner, string id, int index, IDisposable renewal, IAsyncDisposable localPermit) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                renewal.Dispose();
                try
                {
                    await owner.ReleaseAsync(id, index).ConfigureAwait(false);
                }
                finally
                {
                    await localPermit.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
