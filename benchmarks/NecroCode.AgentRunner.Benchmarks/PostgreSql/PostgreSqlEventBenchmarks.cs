using BenchmarkDotNet.Attributes;
using NpgsqlTypes;

namespace NecroCode.AgentRunner.Benchmarks.PostgreSql;

/// <summary>
/// Event appends per second: 1, 4 or 16 runners, each appending to the event log of the task it holds, through
/// <c>ITaskRegistry.AppendEventAsync</c> (the claim checked under a share lock of the task row, an idempotency key)
/// against raw <c>INSERT</c>s of the same rows, one connection per writer. Every commit is durable (the server's
/// defaults). Needs <c>NECROCODE_POSTGRES_TEST</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser(false)]
public class PostgreSqlEventBenchmarks
{
    private const int Events = 480;

    private const string RawInsertSql = """
        INSERT INTO events (event_id, spec_name, task_id, type, occurred_at, runner_id, message, data)
        VALUES (@id, 'bench', @task, 'Progress', @at, @runner, @message, @data)
        """;

    private BenchDatabase _database = null!;

    /// <summary>Writers at once.</summary>
    [Params(1, 4, 16)]
    public int Writers { get; set; }

    /// <summary>Creates the schema; writer i holds task i.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Drops the schema.</summary>
    [GlobalCleanup]
    public void Cleanup() => _database.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Raw INSERTs.</summary>
    /// <returns>Events written.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task<int> RawInsert()
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await using var connection = await _database.Raw.OpenConnectionAsync();
            for (var e = 0; e < Events / Writers; e++)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = RawInsertSql;
                command.Parameters.AddWithValue("id", Guid.CreateVersion7());
                command.Parameters.AddWithValue("task", TaskId(w));
                command.Parameters.AddWithValue("at", DateTimeOffset.UtcNow);
                command.Parameters.AddWithValue("runner", Runner(w));
                command.Parameters.AddWithValue("message", $"Step {e} finished");
                command.Parameters.Add(new Npgsql.NpgsqlParameter("data", NpgsqlDbType.Jsonb) { Value = """{"step":"test"}""" });
                await command.ExecuteNonQueryAsync();
            }
        })));
        return Events;
    }

    /// <summary>The provider's fenced appends.</summary>
    /// <returns>Events written.</returns>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> Provider()
    {
        var registry = _database.Fleet.Registry;
        var data = new Dictionary<string, string> { ["step"] = "test" };
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var task = new TaskKey("bench", TaskId(w));
            for (var e = 0; e < Events / Writers; e++)
            {
                await registry.AppendEventAsync(new TaskEvent(task, "Progress", DateTimeOffset.UtcNow, Runner(w), $"Step {e} finished", data), CancellationToken.None);
            }
        })));
        return Events;
    }

    private static string TaskId(int writer) => "task-" + writer.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Runner(int writer) => "runner-" + writer.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync();
        for (var w = 0; w < 16; w++)
        {
            var claim = await _database.Fleet.Registry.TryClaimTaskAsync(new TaskKey("bench", TaskId(w)), Runner(w), CancellationToken.None);
            if (!claim.Claimed)
            {
                throw new InvalidOperationException($"Runner {Runner(w)} could not claim its task.");
            }
        }

        // Long enough for every iteration: the benchmark measures appends, not renewals.
        await _database.ExecuteAsync("UPDATE tasks SET lease_expires_at = now() + interval '1 hour'");
    }
}
