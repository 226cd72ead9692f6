using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using NecroCode.AgentRunner.PostgreSql.Notifications;
using NecroCode.AgentRunner.PostgreSql.Registry;
using Npgsql;
using NpgsqlTypes;

namespace NecroCode.AgentRunner.PostgreSql.Queue;

/// <summary>
/// The shared queue on the registry's task rows: a task is queued while it has a definition and is Pending, or Running
/// under an expired claim. A worker claims the oldest Pending task with <c>FOR UPDATE SKIP LOCKED</c> (so workers
/// asking at once get different tasks without waiting for each other), and only when none is left the oldest expired
/// one. Enqueueing, handing back and ending a claim notify the schema's work channel; waiting workers listen to it.
/// </summary>
internal sealed partial class PostgreSqlTaskQueue(PostgreSqlDatabase database, NotificationListener listener, ILogger logger) : ITaskQueue
{
    private const string Entry = "t.spec_name, t.task_id, t.state, t.enqueued_at, t.updated_at, coalesce(t.holder, t.runner_id), t.claims";

    private const string EnqueueSql = $"""
        WITH before AS (
            SELECT holder FROM tasks WHERE spec_name = @spec AND task_id = @task
        ), written AS (
            INSERT INTO tasks AS t (spec_name, task_id, state, updated_at, definition, enqueued_at)
            VALUES (@spec, @task, 'Pending', now(), @definition, now())
            ON CONFLICT (spec_name, task_id) DO UPDATE
                SET state = 'Pending', holder = NULL, lease_expires_at = NULL, claim_token = NULL,
                    definition = EXCLUDED.definition, enqueued_at = now(), updated_at = now()
                WHERE t.holder IS NULL OR t.lease_expires_at <= now()
            RETURNING {Entry}
        )
        SELECT w.*, (SELECT holder FROM before), (SELECT count(*) FROM (SELECT pg_notify(@channel, 'enqueued') FROM written) AS n)
        FROM (SELECT 1) AS one LEFT JOIN written AS w ON true
        """;

    // Claims the oldest task that matches the condition between ClaimHead and ClaimTail.
    private const string ClaimHead = """
        WITH next AS (
            SELECT spec_name, task_id, holder AS previous FROM tasks
            WHERE
        """;

    private const string ClaimTail = $"""

            ORDER BY enqueued_at, spec_name, task_id
            LIMIT 1 FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE tasks AS t
            SET state = 'Running', runner_id = @runner, holder = @runner, fence = t.fence + 1, lease_expires_at = now() + @lease,
                claim_token = @token, claims = t.claims + 1, updated_at = now()
            FROM next WHERE t.spec_name = next.spec_name AND t.task_id = next.task_id
            RETURNING {Entry}, t.definition::text, t.fence, t.lease_expires_at, next.previous
        ), registered AS (
            UPDATE runners SET expires_at = greatest(expires_at, (SELECT lease_expires_at FROM claimed))
            WHERE runner_id = @runner AND EXISTS (SELECT 1 FROM claimed)
        )
        SELECT * FROM claimed
        """;

    private const string ClaimPendingSql = ClaimHead + " state = 'Pending' AND definition IS NOT NULL" + ClaimTail;

    private const string ClaimExpiredSql = ClaimHead + " state = 'Running' AND definition IS NOT NULL AND (holder IS NULL OR lease_expires_at <= now())" + ClaimTail;

    private const string ClaimedBeforeSql = $"""
        SELECT {Entry}, t.definition::text, t.fence, t.lease_expires_at, NULL FROM tasks AS t
        WHERE t.holder = @runner AND t.claim_token = @token
        """;

    private const string ReturnSql = """
        WITH before AS (
            SELECT holder, state, runner_id FROM tasks WHERE spec_name = @spec AND task_id = @task
        ), returned AS (
            UPDATE tasks SET state = 'Pending', holder = NULL, lease_expires_at = NULL, claim_token = NULL, runner_id = @runner, updated_at = now()
            WHERE spec_name = @spec AND task_id = @task AND holder = @runner AND lease_expires_at > now()
            RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM returned), (SELECT holder FROM before),
               (SELECT state = 'Pending' AND runner_id = @runner AND holder IS NULL FROM before),
               (SELECT count(*) FROM (SELECT pg_notify(@channel, 'returned') FROM returned) AS n)
        """;

    private const string ListSql = $"SELECT {Entry} FROM tasks AS t WHERE t.definition IS NOT NULL AND (@state::text IS NULL OR t.state = @state) ORDER BY t.enqueued_at, t.spec_name, t.task_id";

    private const string GetSql = $"SELECT {Entry}, t.definition::text FROM tasks AS t WHERE t.spec_name = @spec AND t.task_id = @task AND t.definition IS NOT NULL";

    private static readonly JsonTypeInfo<TaskContext> DefinitionInfo = (JsonTypeInfo<TaskContext>)AgentRunnerJson.Options.GetTypeInfo(typeof(TaskContext));

    private readonly string _channel = Channels.Work(database.Options.Schema);
    private long _seen;

    /// <inheritdoc />
    public Task<QueueEntry> EnqueueAsync(TaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var key = TaskKey.Of(task);
        PostgreSqlTaskRegistry.CheckKey(key);
        var definition = AgentRunnerJson.Serialize(task);
        return database.RunAsync($"enqueue task {key}", async (connection, _, ct) =>
        {
            await using var command = Sql.Command(connection, EnqueueSql, ("spec", key.SpecName), ("task", key.TaskId), ("channel", _channel));
            command.Parameters.Add(new NpgsqlParameter("definition", NpgsqlDbType.Jsonb) { Value = definition });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            if (reader.IsDBNull(0))
            {
                var holder = Sql.Text(reader, 7);
                throw new TaskConflictException($"Task {key} is running under runner {holder}'s live claim; it can be enqueued again once that claim ends or expires.", holder);
            }

            var entry = ReadEntry(reader);
            Log.Enqueued(logger, key.ToString());
            return entry;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueuedTask?> ClaimNextAsync(string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        Volatile.Write(ref _seen, listener.Generation(_channel));
        var token = Guid.NewGuid();
        return database.RunAsync("claim the next queued task", async (connection, attempt, ct) =>
        {
            (string, object?)[] parameters = [("runner", runnerId), ("token", token), ("lease", database.Options.LeaseDuration)];

            // After a lost answer, the earlier attempt may have claimed a task: it is the runner's now.
            var claimed = (attempt > 1 ? await Sql.FirstAsync(connection, ClaimedBeforeSql, ReadClaimed, ct, parameters).ConfigureAwait(false) : null)
                ?? await Sql.FirstAsync(connection, ClaimPendingSql, ReadClaimed, ct, parameters).ConfigureAwait(false)
                ?? await Sql.FirstAsync(connection, ClaimExpiredSql, ReadClaimed, ct, parameters).ConfigureAwait(false);
            if (claimed is { } next)
            {
                Log.Claimed(logger, next.Task.Entry.Task.ToString(), runnerId, next.Task.Claim!.Fence, next.Previous ?? "nobody");
            }

            return claimed?.Task;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReturnAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        PostgreSqlTaskRegistry.CheckKey(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        return database.RunAsync($"hand task {task} back", async (connection, attempt, ct) =>
        {
            var row = await Sql.FirstAsync(
                connection,
                ReturnSql,
                r => (Returned: r.GetBoolean(0), Holder: Sql.Text(r, 1), AlreadyBack: !r.IsDBNull(2) && r.GetBoolean(2)),
                ct,
                ("spec", task.SpecName), ("task", task.TaskId), ("runner", runnerId), ("channel", _channel)).ConfigureAwait(false);
            if (row.Returned || (attempt > 1 && row.AlreadyBack))
            {
                Log.Returned(logger, task.ToString(), runnerId);
                return 0;
            }

            throw ClaimLost.Refuse(task, runnerId, row.Holder, "hand it back to the queue");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The wait must not be negative.");
        }

        return listener.WaitAsync(_channel, Volatile.Read(ref _seen), timeout, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueEntry>> ListAsync(TaskState? state, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<QueueEntry>>("list the queue", async (connection, _, ct) =>
            await Sql.ListAsync(connection, ListSql, ReadEntry, ct, ("state", state?.ToString())).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<QueuedTask?> GetAsync(TaskKey task, CancellationToken cancellationToken)
    {
        PostgreSqlTaskRegistry.CheckKey(task);
        return database.RunAsync($"read queued task {task}", (connection, _, ct) => Sql.FirstAsync(
            connection,
            GetSql,
            r => new QueuedTask(ReadEntry(r), ReadDefinition(r, 7)),
            ct,
            ("spec", task.SpecName), ("task", task.TaskId)), cancellationToken);
    }

    private static QueueEntry ReadEntry(NpgsqlDataReader r) => new(
        new TaskKey(r.GetString(0), r.GetString(1)),
        Enum.Parse<TaskState>(r.GetString(2)),
        Sql.MaybeInstant(r, 3) ?? Sql.Instant(r, 4),
        Sql.Instant(r, 4),
        Sql.Text(r, 5),
        r.GetInt32(6));

    private static Claimed ReadClaimed(NpgsqlDataReader r) =>
        new(new QueuedTask(ReadEntry(r), ReadDefinition(r, 7), new TaskClaim(true, null, r.GetInt64(8), Sql.Instant(r, 9))), Sql.Text(r, 10));

    private static TaskContext ReadDefinition(NpgsqlDataReader r, int ordinal)
    {
        // Written by EnqueueAsync from a TaskContext, so read back without the checks a hand-written document needs.
        try
        {
            return JsonSerializer.Deserialize(r.GetString(ordinal), DefinitionInfo) ?? throw new JsonException("The definition is null.");
        }
        catch (JsonException ex)
        {
            throw new RegistryException($"The stored definition of task {r.GetString(0)}/{r.GetString(1)} is not a valid task: {ex.Message}", ex);
        }
    }

    /// <summary>A claimed task and the runner whose expired claim it replaced, if any.</summary>
    private sealed record Claimed(QueuedTask Task, string? Previous);
}
