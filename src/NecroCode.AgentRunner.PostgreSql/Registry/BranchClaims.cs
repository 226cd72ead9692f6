using NecroCode.AgentRunner.PostgreSql.Connection;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Registry;

/// <summary>
/// Branch ownership (see <see cref="ITaskRegistry.TryClaimBranchAsync"/>): a row per branch, keyed by its name in lower
/// case, inserted once and never changed, so the first task to claim a branch keeps it.
/// </summary>
internal sealed class BranchClaims(PostgreSqlDatabase database)
{
    private const string Columns = "branch, spec_name, task_id, runner_id, claimed_at";

    private const string ClaimSql = $"""
        INSERT INTO branch_claims (branch_key, {Columns}) VALUES (@key, @branch, @spec, @task, @runner, now())
        ON CONFLICT (branch_key) DO NOTHING
        RETURNING {Columns}
        """;

    private const string ReadSql = $"SELECT {Columns} FROM branch_claims WHERE branch_key = @key";

    /// <summary>Claims <paramref name="branch"/> for <paramref name="task"/>, or reads the claim of the task that owns it.</summary>
    /// <param name="branch">The branch.</param>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The claiming runner.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The branch's claim.</returns>
    public Task<BranchClaim> TryClaimAsync(string branch, TaskKey task, string runnerId, CancellationToken cancellationToken) =>
        database.RunAsync($"claim branch '{branch}'", async (connection, _, ct) =>
        {
            var key = Key(branch);
            while (true)
            {
                // The insert waits for a concurrent one of the same branch; a claim committed after this statement's
                // snapshot is then read by the next statement.
                var claim = await Sql.FirstAsync(connection, ClaimSql, Read, ct, ("key", key), ("branch", branch), ("spec", task.SpecName), ("task", task.TaskId), ("runner", runnerId)).ConfigureAwait(false)
                    ?? await Sql.FirstAsync(connection, ReadSql, Read, ct, ("key", key)).ConfigureAwait(false);
                if (claim is not null)
                {
                    return claim;
                }
            }
        }, cancellationToken);

    /// <summary>Reads who owns <paramref name="branch"/>.</summary>
    /// <param name="branch">The branch.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The claim, or null.</returns>
    public Task<BranchClaim?> GetAsync(string branch, CancellationToken cancellationToken) =>
        database.RunAsync($"read the claim of branch '{branch}'", (connection, _, ct) => Sql.FirstAsync(connection, ReadSql, Read, ct, ("key", Key(branch))), cancellationToken);

    /// <summary>The key of a branch: its name in lower case (invariant), as one ref on a case-insensitive file system.</summary>
    /// <param name="branch">The branch.</param>
    /// <returns>The key.</returns>
    public static string Key(string branch) => branch.ToLowerInvariant();

    private static BranchClaim Read(NpgsqlDataReader r) =>
        new(r.GetString(0), new TaskKey(r.GetString(1), r.GetString(2)), r.GetString(3), Sql.Instant(r, 4));
}
