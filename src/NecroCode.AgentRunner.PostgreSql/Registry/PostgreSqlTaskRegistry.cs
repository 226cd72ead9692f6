using System.Text.Json;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Registry;

/// <summary>
/// The task registry in PostgreSQL, shared by runners on many machines: task rows with their claim (holder, fencing
/// number, lease expiry on the server's clock), an append-only event table, artifact records, runner registrations
/// that expire with their claims, and branch ownership.
/// </summary>
internal sealed class PostgreSqlTaskRegistry : ITaskRegistry
{
    private const string RegisterSql = """
        WITH purged AS (DELETE FROM runners WHERE expires_at < now() - interval '1 day' AND runner_id <> @runner)
        INSERT INTO runners AS r (runner_id, spec_name, task_id, host, process_id, started_at, expires_at)
        VALUES (@runner, @spec, @task, @host, @pid, @started, now() + @lease)
        ON CONFLICT (runner_id) DO UPDATE
            SET spec_name = EXCLUDED.spec_name, task_id = EXCLUDED.task_id, host = EXCLUDED.host, process_id = EXCLUDED.process_id,
                started_at = EXCLUDED.started_at, expires_at = greatest(r.expires_at, EXCLUDED.expires_at)
        """;

    private const string RunnersSql = """
        SELECT runner_id, spec_name, task_id, host, process_id, started_at FROM runners
        WHERE expires_at > now() ORDER BY started_at, runner_id
        """;

    private const string TaskSql = """
        SELECT state, runner_id, updated_at FROM tasks WHERE spec_name = @spec AND task_id = @task;
        SELECT record FROM artifacts WHERE spec_name = @spec AND task_id = @task ORDER BY recorded_at, name
        """;

    private const string EventsSql = """
        SELECT type, occurred_at, runner_id, message, data FROM events
        WHERE spec_name = @spec AND task_id = @task ORDER BY seq
        """;

    private readonly PostgreSqlDatabase _database;
    private readonly TaskClaims _claims;
    private readonly FencedWrites _writes;
    private readonly BranchClaims _branches;

    /// <summary>Creates the registry.</summary>
    /// <param name="database">The database.</param>
    /// <param name="logger">The logger.</param>
    public PostgreSqlTaskRegistry(PostgreSqlDatabase database, ILogger logger)
    {
        _database = database;
        _claims = new TaskClaims(database, logger);
        _writes = new FencedWrites(database);
        _branches = new BranchClaims(database);
    }

    /// <inheritdoc />
    public Task RegisterRunnerAsync(RunnerRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.RunnerId);
        return _database.RunAsync($"register runner {registration.RunnerId}", (connection, _, ct) => Sql.ExecuteAsync(
            connection,
            RegisterSql,
            ct,
            ("runner", registration.RunnerId), ("spec", registration.Task.SpecName), ("task", registration.Task.TaskId), ("host", registration.Host),
            ("pid", registration.ProcessId), ("started", registration.StartedAt.ToUniversalTime()), ("lease", _database.Options.LeaseDuration)), cancellationToken);
    }

    /// <inheritdoc />
    public Task UnregisterRunnerAsync(string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        return _database.RunAsync($"unregister runner {runnerId}", (connection, _, ct) =>
            Sql.ExecuteAsync(connection, "DELETE FROM runners WHERE runner_id = @runner", ct, ("runner", runnerId)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<TaskClaim> TryClaimTaskAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        Check(task, runnerId);
        return _claims.TryClaimAsync(task, runnerId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TaskClaim> RenewClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        Check(task, runnerId);
        return _claims.RenewAsync(task, runnerId, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetTaskStateAsync(TaskKey task, TaskState state, string runnerId, CancellationToken cancellationToken)
    {
        Check(task, runnerId);
        return _writes.SetStateAsync(task, state, runnerId, cancellationToken);
    }

    /// <inheritdoc />
    public Task AppendEventAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        Check(taskEvent.Task, taskEvent.RunnerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(taskEvent.Type);
        return _writes.AppendAsync(taskEvent, cancellationToken);
    }

    /// <inheritdoc />
    public Task AddArtifactAsync(TaskKey task, ArtifactRecord artifact, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact.Name);
        Check(task, runnerId);
        return _writes.AddArtifactAsync(task, artifact, runnerId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TaskRecord?> GetTaskAsync(TaskKey task, CancellationToken cancellationToken)
    {
        CheckKey(task);
        return _database.RunAsync($"read task {task}", async (connection, _, ct) =>
        {
            await using var command = Sql.Command(connection, TaskSql, ("spec", task.SpecName), ("task", task.TaskId));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            var (state, runner, updated) = (Enum.Parse<TaskState>(reader.GetString(0)), Sql.Text(reader, 1), Sql.Instant(reader, 2));
            await reader.NextResultAsync(ct).ConfigureAwait(false);
            var artifacts = new List<ArtifactRecord>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                artifacts.Add(JsonSerializer.Deserialize(reader.GetString(0), PostgreSqlJsonContext.Default.ArtifactRecord)
                    ?? throw new RegistryException($"An artifact record of task {task} in {_database.Describe()} is null."));
            }

            return new TaskRecord(task, state, runner, updated, artifacts);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskEvent>> GetEventsAsync(TaskKey task, CancellationToken cancellationToken)
    {
        CheckKey(task);
        return _database.RunAsync<IReadOnlyList<TaskEvent>>($"read the events of task {task}", async (connection, _, ct) => await Sql.ListAsync(
            connection,
            EventsSql,
            r => new TaskEvent(task, r.GetString(0), Sql.Instant(r, 1), r.GetString(2), Sql.Text(r, 3), ReadData(r)),
            ct,
            ("spec", task.SpecName), ("task", task.TaskId)).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunnerRegistration>> GetRunnersAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<RunnerRegistration>>("read the runners", async (connection, _, ct) => await Sql.ListAsync(
            connection,
            RunnersSql,
            r => new RunnerRegistration(r.GetString(0), new TaskKey(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetInt32(4), Sql.Instant(r, 5)),
            ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<BranchClaim> TryClaimBranchAsync(string branch, TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        Check(task, runnerId);
        return _branches.TryClaimAsync(branch, task, runnerId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<BranchClaim?> GetBranchClaimAsync(string branch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        return _branches.GetAsync(branch, cancellationToken);
    }

    /// <summary>Refuses an empty spec name or task id.</summary>
    /// <param name="task">The task.</param>
    internal static void CheckKey(TaskKey task)
    {
        if (string.IsNullOrWhiteSpace(task.SpecName) || string.IsNullOrWhiteSpace(task.TaskId))
        {
            throw new ArgumentException($"The task key '{task}' needs a spec name and a task id.", nameof(task));
        }
    }

    private static void Check(TaskKey task, string runnerId)
    {
        CheckKey(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
    }

    private static Dictionary<string, string>? ReadData(NpgsqlDataReader reader) =>
        reader.IsDBNull(4) ? null : JsonSerializer.Deserialize(reader.GetString(4), PostgreSqlJsonContext.Default.DictionaryStringString);
}
