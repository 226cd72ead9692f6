using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace NecroCode.AgentRunner.Benchmarks.PostgreSql;

/// <summary>
/// Claims per second of the queue: 1, 4 or 16 claimers drain <see cref="Tasks"/> queued tasks, through
/// <c>ITaskQueue.ClaimNextAsync</c> (lease, fence, claim count, the runner's registration, the definition read back)
/// against a bare <c>UPDATE … WHERE key = (SELECT … FOR UPDATE SKIP LOCKED)</c> loop on the same table, one connection per claimer.
/// Every iteration starts from the same queue (all Pending, vacuumed). Needs <c>NECROCODE_POSTGRES_TEST</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser(false)]
public class PostgreSqlClaimBenchmarks
{
    private const int Tasks = 400;

    private const string BareClaimSql = """
        UPDATE tasks SET state = 'Running', holder = @runner, runner_id = @runner, fence = fence + 1, lease_expires_at = now() + interval '30 seconds'
        WHERE (spec_name, task_id) = (
            SELECT spec_name, task_id FROM tasks WHERE state = 'Pending' AND definition IS NOT NULL
            ORDER BY enqueued_at, spec_name, task_id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING task_id
        """;

    private BenchDatabase _database = null!;

    /// <summary>Claimers at once.</summary>
    [Params(1, 4, 16)]
    public int Claimers { get; set; }

    /// <summary>Creates the schema and queues the tasks.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Puts every task back to Pending and vacuums the table (not measured).</summary>
    [IterationSetup]
    public void Reset()
    {
        _database.ExecuteAsync("UPDATE tasks SET state = 'Pending', holder = NULL, lease_expires_at = NULL, claim_token = NULL").GetAwaiter().GetResult();
        _database.ExecuteAsync("VACUUM ANALYZE tasks").GetAwaiter().GetResult();
        _database.ExecuteAsync("VACUUM runners").GetAwaiter().GetResult();
    }

    /// <summary>Drops the schema.</summary>
    [GlobalCleanup]
    public void Cleanup() => _database.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The bare SKIP LOCKED loop.</summary>
    /// <returns>Tasks claimed.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks)]
    public async Task<int> BareSkipLocked()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, Claimers).Select(c => Task.Run(async () =>
        {
            await using var connection = await _database.Raw.OpenConnectionAsync();
            var claimed = 0;
            while (true)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = BareClaimSql;
                command.Parameters.AddWithValue("runner", $"runner-{c}");
                if (await command.ExecuteScalarAsync() is null)
                {
                    return claimed;
                }

                claimed++;
            }
        })));
        return Check(counts.Sum());
    }

    /// <summary>The provider's queue.</summary>
    /// <returns>Tasks claimed.</returns>
    [Benchmark(OperationsPerInvoke = Tasks)]
    public async Task<int> Provider()
    {
        var queue = _database.Fleet.Queue;
        var counts = await Task.WhenAll(Enumerable.Range(0, Claimers).Select(c => Task.Run(async () =>
        {
            var claimed = 0;
            while (await queue.ClaimNextAsync($"runner-{c}", CancellationToken.None) is not null)
            {
                claimed++;
            }

            return claimed;
        })));
        return Check(counts.Sum());
    }

    private static int Check(int claimed) =>
        claimed == Tasks ? claimed : throw new InvalidOperationException($"{claimed} tasks were claimed, not {Tasks}.");

    private async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync();
        for (var i = 0; i < Tasks; i++)
        {
            var id = i.ToString("D4", CultureInfo.InvariantCulture);
            await _database.Fleet.Queue.EnqueueAsync(new TaskContext { SpecName = "bench", TaskId = id, Title = "Task " + id, Description = "Benchmark task." }, CancellationToken.None);
        }

        for (var c = 0; c < 16; c++)
        {
            await _database.Fleet.Registry.RegisterRunnerAsync(new RunnerRegistration($"runner-{c}", new TaskKey("bench", "0000"), "bench", Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None);
        }
    }
}
