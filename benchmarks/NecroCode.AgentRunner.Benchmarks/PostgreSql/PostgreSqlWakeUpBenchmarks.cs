using System.Globalization;
using BenchmarkDotNet.Attributes;
using NecroCode.AgentRunner.PostgreSql;
using Npgsql;

namespace NecroCode.AgentRunner.Benchmarks.PostgreSql;

/// <summary>
/// The time from <c>enqueue</c> to an idle worker holding the task: one fleet client enqueues while another (a worker on
/// another "machine") waits in <c>ITaskQueue.WaitForWorkAsync</c>, is woken by the notification and claims the task with
/// <c>ClaimNextAsync</c>; against the raw floor of the same path: a <c>NOTIFY</c> on one connection reaching a
/// <c>LISTEN</c>ing connection. The waiter is put into its wait before each operation (not measured); a missed wake-up
/// would show as the wait's 30-second timeout. Needs <c>NECROCODE_POSTGRES_TEST</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 50, invocationCount: 1)]
[MemoryDiagnoser(false)]
public class PostgreSqlWakeUpBenchmarks
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    private BenchDatabase _database = null!;
    private PostgreSqlFleet _worker = null!;
    private NpgsqlConnection _listener = null!;
    private Task<QueuedTask?> _claim = Task.FromResult<QueuedTask?>(null);
    private Task<bool> _notified = Task.FromResult(false);
    private int _next;

    /// <summary>Creates the schema, the worker's client (its listener started) and the raw listener.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Puts the worker into its wait for work (not measured).</summary>
    [IterationSetup(Target = nameof(EnqueueToClaim))]
    public void StartWorkerWait()
    {
        // As a worker does: a wake-up is a hint, so wait again when there was nothing to claim.
        _claim = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow + LongestWait;
            while (DateTime.UtcNow < deadline)
            {
                await _worker.Queue.WaitForWorkAsync(LongestWait, CancellationToken.None);
                if (await _worker.Queue.ClaimNextAsync("worker", CancellationToken.None) is { } claimed)
                {
                    return claimed;
                }
            }

            return null;
        });
        Thread.Sleep(100);
    }

    /// <summary>Puts the raw listener into its wait (not measured).</summary>
    [IterationSetup(Target = nameof(RawNotifyRoundTrip))]
    public void StartRawWait()
    {
        _notified = _listener.WaitAsync(LongestWait);
        Thread.Sleep(100);
    }

    /// <summary>Drops the schema.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A NOTIFY reaching a LISTENing connection.</summary>
    /// <returns>Whether the notification arrived before the timeout.</returns>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawNotifyRoundTrip()
    {
        await _database.ExecuteAsync("NOTIFY bench_wake");
        return await _notified ? true : throw new InvalidOperationException("The notification did not arrive.");
    }

    /// <summary>Enqueue through one client; the idle worker on another wakes and claims the task.</summary>
    /// <returns>The claimed task's id.</returns>
    [Benchmark]
    public async Task<string> EnqueueToClaim()
    {
        var id = (++_next).ToString("D5", CultureInfo.InvariantCulture);
        await _database.Fleet.Queue.EnqueueAsync(new TaskContext { SpecName = "wake", TaskId = id, Title = "Task " + id, Description = "Benchmark task." }, CancellationToken.None);
        var claimed = await _claim;
        return claimed?.Entry.Task.TaskId == id ? id : throw new InvalidOperationException($"The worker claimed {claimed?.Entry.Task.ToString() ?? "nothing"}, not wake/{id}.");
    }

    private async Task SetupAsync()
    {
        _database = await BenchDatabase.CreateAsync();
        var connectionString = Environment.GetEnvironmentVariable("NECROCODE_POSTGRES_TEST")!;
        _worker = new PostgreSqlFleet(new PostgreSqlOptions { ConnectionString = connectionString, Schema = _database.Schema, MachineId = "bench-worker" });
        await _worker.StartAsync(CancellationToken.None);
        await _worker.Registry.RegisterRunnerAsync(new RunnerRegistration("worker", new TaskKey("wake", "00000"), "bench-worker", Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None);

        // The worker's listener starts with its first wait.
        await _worker.Queue.WaitForWorkAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None);

        _listener = await _database.Raw.OpenConnectionAsync();
        await using var listen = _listener.CreateCommand();
        listen.CommandText = "LISTEN bench_wake";
        await listen.ExecuteNonQueryAsync();
    }
}
