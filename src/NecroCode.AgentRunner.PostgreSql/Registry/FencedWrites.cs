using System.Text.Json;
using NecroCode.AgentRunner.PostgreSql.Connection;
using NecroCode.AgentRunner.PostgreSql.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace NecroCode.AgentRunner.PostgreSql.Registry;

/// <summary>
/// The writes about a task that only its holder may make while it is held: state changes, events and artifact
/// records. Each is one statement whose check of the claim (holder and unexpired lease, on the server's clock) and
/// write happen together: the state change updates the row only under that condition; an event or artifact takes a
/// share lock of the task's row first, so that no take-over can slip between the check and the insert.
/// </summary>
internal sealed class FencedWrites(PostgreSqlDatabase database)
{
    private const string SetStateSql = """
        WITH before AS (
            SELECT holder FROM tasks WHERE spec_name = @spec AND task_id = @task
        ), written AS (
            INSERT INTO tasks AS t (spec_name, task_id, state, runner_id, updated_at)
            VALUES (@spec, @task, @state, @runner, now())
            ON CONFLICT (spec_name, task_id) DO UPDATE
                SET state = @state, runner_id = @runner, updated_at = now(),
                    holder = CASE WHEN @state = 'Running' THEN t.holder END,
                    lease_expires_at = CASE WHEN @state = 'Running' THEN t.lease_expires_at END,
                    claim_token = CASE WHEN @state = 'Running' THEN t.claim_token END
                WHERE t.holder IS NULL OR (t.holder = @runner AND t.lease_expires_at > now())
            RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM written), (SELECT holder FROM before),
               (SELECT count(*) FROM (SELECT pg_notify(@channel, 'state') FROM written WHERE @state <> 'Running') AS notified)
        """;

    // The share lock makes a concurrent claim of the task wait until this statement's transaction ends.
    private const string CheckSql = """
        WITH t AS (
            SELECT holder, lease_expires_at FROM tasks WHERE spec_name = @spec AND task_id = @task FOR SHARE
        ), ok AS (
            SELECT NOT EXISTS (SELECT 1 FROM t WHERE holder IS NOT NULL AND (holder <> @runner OR lease_expires_at <= now())) AS allowed
        )
        """;

    private const string AppendSql = CheckSql + """
        , appended AS (
            INSERT INTO events (event_id, spec_name, task_id, type, occurred_at, runner_id, message, data)
            SELECT @id, @spec, @task, @type, @at, @runner, @message, @data FROM ok WHERE allowed
            ON CONFLICT (event_id) DO NOTHING
            RETURNING 1
        )
        SELECT (SELECT allowed FROM ok), (SELECT holder FROM t),
               EXISTS (SELECT 1 FROM appended) OR EXISTS (SELECT 1 FROM events WHERE event_id = @id)
        """;

    private const string ArtifactSql = CheckSql + """
        , touched AS (
            INSERT INTO tasks AS t (spec_name, task_id, state, updated_at)
            SELECT @spec, @task, 'Pending', now() FROM ok WHERE allowed
            ON CONFLICT (spec_name, task_id) DO UPDATE SET updated_at = now()
            RETURNING 1
        ), recorded AS (
            INSERT INTO artifacts AS a (spec_name, task_id, name, record, runner_id, recorded_at)
            SELECT @spec, @task, @name, @record, @runner, clock_timestamp() FROM ok WHERE allowed
            ON CONFLICT (spec_name, task_id, name) DO UPDATE
                SET record = EXCLUDED.record, runner_id = EXCLUDED.runner_id, recorded_at = EXCLUDED.recorded_at
            RETURNING 1
        )
        SELECT (SELECT allowed FROM ok), (SELECT holder FROM t), EXISTS (SELECT 1 FROM recorded)
        """;

    /// <summary>Sets a task's state (see <see cref="ITaskRegistry.SetTaskStateAsync"/>); a state other than Running ends the claim.</summary>
    /// <param name="task">The task.</param>
    /// <param name="state">The state.</param>
    /// <param name="runnerId">The writing runner.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the state is durable.</returns>
    /// <exception cref="ClaimLostException">Another runner holds the task, or the writer's claim expired.</exception>
    public Task SetStateAsync(TaskKey task, TaskState state, string runnerId, CancellationToken cancellationToken) =>
        database.RunAsync($"set the state of task {task}", async (connection, _, ct) =>
        {
            // A retry after a write whose answer was lost finds the task unheld (the claim ended) or still its own.
            var row = await Sql.FirstAsync(
                connection,
                SetStateSql,
                r => (Written: r.GetBoolean(0), Holder: Sql.Text(r, 1)),
                ct,
                ("spec", task.SpecName), ("task", task.TaskId), ("state", state.ToString()), ("runner", runnerId),
                ("channel", Channels.Work(database.Options.Schema))).ConfigureAwait(false);
            return row.Written ? 0 : throw ClaimLost.Refuse(task, runnerId, row.Holder, $"set its state to {state}");
        }, cancellationToken);

    /// <summary>Appends an event (see <see cref="ITaskRegistry.AppendEventAsync"/>); a retried append lands once.</summary>
    /// <param name="taskEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>A task that completes when the event is durable.</returns>
    /// <exception cref="ClaimLostException">Another runner holds the task, or the writer's claim expired.</exception>
    public Task AppendAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        var task = taskEvent.Task;
        var id = Guid.CreateVersion7();
        var data = taskEvent.Data is null ? null : JsonSerializer.Serialize(taskEvent.Data, PostgreSqlJsonContext.Default.IReadOnlyDictionaryStringString);
        return database.RunAsync($"append an event to task {task}", async (connection, _, ct) =>
        {
            await using var command = Sql.Command(
                connection,
                AppendSql,
                ("id", id), ("spec", task.SpecName), ("task", task.TaskId), ("type", taskEvent.Type), ("at", taskEvent.Timestamp.ToUniversalTime()),
                ("runner", taskEvent.RunnerId), ("message", taskEvent.Message));
            command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Jsonb) { Value = (object?)data ?? DBNull.Value });
            var row = await ReadAsync(command, ct).ConfigureAwait(false);

            // An append that landed before a lost answer counts, even if the claim has ended since.
            return row.Allowed || row.Done ? 0 : throw ClaimLost.Refuse(task, taskEvent.RunnerId, row.Holder, $"append a {taskEvent.Type} event");
        }, cancellationToken);
    }

    /// <summary>Records an artifact (see <see cref="ITaskRegistry.AddArtifactAsync"/>); a record of the same name is replaced.</summary>
    /// <param name="task">The task.</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="runnerId">The writing runner.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    /// <exception cref="ClaimLostException">Another runner holds the task, or the writer's claim expired.</exception>
    public Task AddArtifactAsync(TaskKey task, ArtifactRecord artifact, string runnerId, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.Serialize(artifact, PostgreSqlJsonContext.Default.ArtifactRecord);
        return database.RunAsync($"record artifact '{artifact.Name}' of task {task}", async (connection, _, ct) =>
        {
            await using var command = Sql.Command(connection, ArtifactSql, ("spec", task.SpecName), ("task", task.TaskId), ("name", artifact.Name), ("runner", runnerId));
            command.Parameters.Add(new NpgsqlParameter("record", NpgsqlDbType.Jsonb) { Value = record });
            var row = await ReadAsync(command, ct).ConfigureAwait(false);
            return row.Allowed ? 0 : throw ClaimLost.Refuse(task, runnerId, row.Holder, $"record artifact '{artifact.Name}'");
        }, cancellationToken);
    }

    private static async Task<(bool Allowed, string? Holder, bool Done)> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetBoolean(0), Sql.Text(reader, 1), reader.GetBoolean(2));
    }
}
