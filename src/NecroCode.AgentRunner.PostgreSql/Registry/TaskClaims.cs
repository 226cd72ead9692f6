using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Registry;

/// <summary>
/// Claims of a named task and their renewal. A claim is one statement: an upsert of the task's row that succeeds only
/// when nobody holds the task under a live lease (the server's clock, <c>now()</c>, decides), raising its fence by one
/// and pushing the claiming runner's registration out to the claim's expiry. The holder of a live claim claiming again
/// (a worker's run claiming the task its queue claim gave it) renews it without counting another claim.
/// </summary>
internal sealed partial class TaskClaims(PostgreSqlDatabase database, ILogger logger)
{
    private const string ClaimSql = """
        WITH before AS (
            SELECT holder, lease_expires_at > now() AS live FROM tasks WHERE spec_name = @spec AND task_id = @task
        ), claimed AS (
            INSERT INTO tasks AS t (spec_name, task_id, state, runner_id, holder, fence, lease_expires_at, updated_at, claims)
            VALUES (@spec, @task, 'Running', @runner, @runner, 1, now() + @lease, now(), 1)
            ON CONFLICT (spec_name, task_id) DO UPDATE
                SET state = 'Running', runner_id = @runner, holder = @runner, fence = t.fence + 1,
                    lease_expires_at = now() + @lease, claim_token = NULL, updated_at = now(),
                    claims = t.claims + CASE WHEN t.holder = @runner AND t.lease_expires_at > now() THEN 0 ELSE 1 END
                WHERE t.holder IS NULL OR t.holder = @runner OR t.lease_expires_at <= now()
            RETURNING t.fence, t.lease_expires_at
        ), registered AS (
            UPDATE runners SET expires_at = greatest(expires_at, (SELECT lease_expires_at FROM claimed))
            WHERE runner_id = @runner AND EXISTS (SELECT 1 FROM claimed)
        )
        SELECT c.fence, c.lease_expires_at, (SELECT holder FROM before), (SELECT live FROM before)
        FROM (SELECT 1) AS one LEFT JOIN claimed AS c ON true
        """;

    private const string HolderSql = "SELECT holder FROM tasks WHERE spec_name = @spec AND task_id = @task";

    private const string RenewSql = """
        WITH renewed AS (
            UPDATE tasks SET lease_expires_at = now() + @lease
            WHERE spec_name = @spec AND task_id = @task AND holder = @runner AND lease_expires_at > now()
            RETURNING fence, lease_expires_at
        ), registered AS (
            UPDATE runners SET expires_at = greatest(expires_at, (SELECT lease_expires_at FROM renewed))
            WHERE runner_id = @runner AND EXISTS (SELECT 1 FROM renewed)
        )
        SELECT r.fence, r.lease_expires_at, (SELECT holder FROM tasks WHERE spec_name = @spec AND task_id = @task)
        FROM (SELECT 1) AS one LEFT JOIN renewed AS r ON true
        """;

    /// <summary>Claims <paramref name="task"/> for <paramref name="runnerId"/> (see <see cref="ITaskRegistry.TryClaimTaskAsync"/>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claim, or who holds the task.</returns>
    public Task<TaskClaim> TryClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken) =>
        database.RunAsync($"claim task {task}", async (connection, _, ct) =>
        {
            // A retry after a claim whose answer was lost claims again: the runner holds the task either way.
            var row = await Sql.FirstAsync(
                connection,
                ClaimSql,
                r => (Fence: r.IsDBNull(0) ? (long?)null : r.GetInt64(0), Expires: Sql.MaybeInstant(r, 1), Holder: Sql.Text(r, 2), Live: !r.IsDBNull(3) && r.GetBoolean(3)),
                ct,
                Parameters(task, runnerId)).ConfigureAwait(false);
            if (row.Fence is not { } fence)
            {
                // The row may have been inserted by a concurrent claim after this statement's snapshot: read its holder anew.
                var holder = row.Holder ?? await Sql.FirstAsync(connection, HolderSql, r => Sql.Text(r, 0), ct, Parameters(task, runnerId)).ConfigureAwait(false);
                Log.ClaimRefused(logger, task.ToString(), runnerId, holder ?? "another runner");
                return new TaskClaim(false, holder);
            }

            if (row.Holder is { } previous && !string.Equals(previous, runnerId, StringComparison.Ordinal))
            {
                Log.TakenOver(logger, task.ToString(), runnerId, previous, fence);
            }
            else
            {
                Log.Claimed(logger, task.ToString(), runnerId, fence);
            }

            return new TaskClaim(true, null, fence, row.Expires);
        }, cancellationToken);

    /// <summary>Renews <paramref name="runnerId"/>'s live claim of <paramref name="task"/> (see <see cref="ITaskRegistry.RenewClaimAsync"/>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner.</param>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>The renewed claim, or a refusal naming the new holder.</returns>
    public Task<TaskClaim> RenewAsync(TaskKey task, string runnerId, CancellationToken cancellationToken) =>
        database.RunAsync($"renew the claim of task {task}", async (connection, _, ct) =>
        {
            var row = await Sql.FirstAsync(
                connection,
                RenewSql,
                r => (Fence: r.IsDBNull(0) ? (long?)null : r.GetInt64(0), Expires: Sql.MaybeInstant(r, 1), Holder: Sql.Text(r, 2)),
                ct,
                Parameters(task, runnerId)).ConfigureAwait(false);
            if (row.Fence is { } fence)
            {
                return new TaskClaim(true, null, fence, row.Expires);
            }

            var heldBy = string.Equals(row.Holder, runnerId, StringComparison.Ordinal) ? null : row.Holder;
            Log.RenewalRefused(logger, task.ToString(), runnerId, heldBy ?? "nobody");
            return new TaskClaim(false, heldBy);
        }, cancellationToken);

    private (string, object?)[] Parameters(TaskKey task, string runnerId) =>
        [("spec", task.SpecName), ("task", task.TaskId), ("runner", runnerId), ("lease", database.Options.LeaseDuration)];

    private static partial class Log
    {
        [LoggerMessage(12020, LogLevel.Debug, "Runner {RunnerId} claimed task {Task} (fence {Fence})")]
        public static partial void Claimed(ILogger logger, string task, string runnerId, long fence);

        [LoggerMessage(12021, LogLevel.Information, "Runner {RunnerId} took task {Task} over from {Previous}, whose claim had expired (fence {Fence})")]
        public static partial void TakenOver(ILogger logger, string task, string runnerId, string previous, long fence);

        [LoggerMessage(12022, LogLevel.Debug, "Runner {RunnerId} could not claim task {Task}: {Holder} holds it")]
        public static partial void ClaimRefused(ILogger logger, string task, string runnerId, string holder);

        [LoggerMessage(12023, LogLevel.Warning, "Runner {RunnerId} could not renew its claim of task {Task}: it expired or was taken over (holder now: {Holder})")]
        public static partial void RenewalRefused(ILogger logger, string task, string runnerId, string holder);
    }
}
