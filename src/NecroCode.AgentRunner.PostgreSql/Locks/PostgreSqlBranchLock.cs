using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using NecroCode.AgentRunner.PostgreSql.Leases;
using NecroCode.AgentRunner.PostgreSql.Notifications;
using NecroCode.AgentRunner.PostgreSql.Registry;

namespace NecroCode.AgentRunner.PostgreSql.Locks;

/// <summary>
/// Branch locks as leased rows of <c>branch_locks</c> (keyed by the branch name in lower case): taking one inserts the
/// row, or takes it over once its lease has expired; the holder's process renews it while held and deletes it when
/// done. A holder that crashes or is cut off stops renewing, and its lock is free after one lease.
/// </summary>
/// <remarks>
/// Rows rather than session advisory locks: a row names the holder (runner and machine) to whoever waits, survives a
/// restart of the server (an advisory lock would vanish with its session while its holder still pushes), and needs no
/// connection pinned for the length of a push.
/// </remarks>
internal sealed partial class PostgreSqlBranchLock(PostgreSqlDatabase database, LeaseRenewer renewer, NotificationListener listener, ILogger logger) : IBranchLock
{
    private const string TakeSql = """
        INSERT INTO branch_locks AS l (branch_key, branch, lease_id, runner_id, machine_id, acquired_at, expires_at)
        VALUES (@key, @branch, @lease_id, @runner, @machine, now(), now() + @lease)
        ON CONFLICT (branch_key) DO UPDATE
            SET branch = EXCLUDED.branch, lease_id = EXCLUDED.lease_id, runner_id = EXCLUDED.runner_id,
                machine_id = EXCLUDED.machine_id, acquired_at = now(), expires_at = EXCLUDED.expires_at
            WHERE l.expires_at <= now() OR l.lease_id = @lease_id
        RETURNING true
        """;

    private const string HolderSql = "SELECT runner_id, machine_id, acquired_at FROM branch_locks WHERE branch_key = @key AND expires_at > now()";

    private const string ReleaseSql = """
        WITH released AS (DELETE FROM branch_locks WHERE branch_key = @key AND lease_id = @lease_id RETURNING 1)
        SELECT count(*) FROM (SELECT pg_notify(@channel, @key) FROM released) AS n
        """;

    private readonly string _channel = Channels.Locks(database.Options.Schema);

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireBranchAsync(string branch, string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"The wait for branch '{branch}' must not be negative (got {wait}).", nameof(wait));
        }

        var key = BranchClaims.Key(branch);
        var leaseId = Guid.NewGuid().ToString("N");
        var start = database.Time.GetTimestamp();
        while (true)
        {
            var seen = listener.Generation(_channel);
            var holder = await database.RunAsync($"lock branch '{branch}'", async (connection, _, ct) =>
            {
                var taken = await Sql.FirstAsync(
                    connection,
                    TakeSql,
                    r => r.GetBoolean(0),
                    ct,
                    ("key", key), ("branch", branch), ("lease_id", leaseId), ("runner", runnerId), ("machine", database.Options.MachineId),
                    ("lease", database.Options.LeaseDuration)).ConfigureAwait(false);
                return taken ? null : await Sql.FirstAsync(connection, HolderSql, r => new Holder(r.GetString(0), r.GetString(1), Sql.Instant(r, 2)), ct, ("key", key)).ConfigureAwait(false)
                    ?? new Holder("another runner", "?", null);
            }, cancellationToken).ConfigureAwait(false);
            if (holder is null)
            {
                Log.Acquired(logger, branch, runnerId, database.Time.GetElapsedTime(start).TotalMilliseconds);
                return new Held(this, key, branch, leaseId, runnerId, renewer.Keep(LeaseTable.BranchLocks, leaseId, $"branch lock of '{branch}' (runner {runnerId})"));
            }

            var elapsed = database.Time.GetElapsedTime(start);
            if (wait != Timeout.InfiniteTimeSpan && elapsed >= wait)
            {
                Log.Busy(logger, branch, runnerId, holder.RunnerId);
                throw new TaskConflictException(
                    $"Branch '{branch}' is being pushed by runner {holder.RunnerId} on machine {holder.MachineId}" +
                    (holder.Since is { } since ? $" since {since:O}" : string.Empty) +
                    $"; runner {runnerId} waited {wait.TotalSeconds:0.###} s for it.",
                    holder.RunnerId);
            }

            var pause = database.Options.PollInterval;
            if (wait != Timeout.InfiniteTimeSpan && wait - elapsed < pause)
            {
                pause = wait - elapsed;
            }

            await listener.WaitAsync(_channel, seen, pause, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReleaseAsync(string key, string branch, string leaseId, string runnerId)
    {
        try
        {
            await database.RunAsync($"unlock branch '{branch}'", (connection, _, ct) =>
                Sql.ExecuteAsync(connection, ReleaseSql, ct, ("key", key), ("lease_id", leaseId), ("channel", _channel)), CancellationToken.None).ConfigureAwait(false);
            Log.Released(logger, branch, runnerId);
        }
        catch (RegistryException ex)
        {
            // The lock expires by itself after one lease.
            Log.ReleaseFailed(logger, branch, runnerId, ex.Message);
        }
    }

    /// <summary>Who holds a branch lock, and since when.</summary>
    private sealed record Holder(string RunnerId, string MachineId, DateTimeOffset? Since);

    private sealed class Held(PostgreSqlBranchLock owner, string key, string branch, string leaseId, string runnerId, IDisposable renewal) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                renewal.Dispose();
                await owner.ReleaseAsync(key, branch, leaseId, runnerId).ConfigureAwait(false);
            }
        }
    }
}
