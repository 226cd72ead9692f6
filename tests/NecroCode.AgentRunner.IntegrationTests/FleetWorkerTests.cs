using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;
using Npgsql;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// <c>enqueue</c> and <c>worker</c> as real processes of the host on the PostgreSQL registry and queue (a fresh schema
/// a test, on the server <c>NECROCODE_POSTGRES_TEST</c> names), with a real bare origin: a SIGKILLed or SIGSTOPped
/// worker's task is taken over after its lease and completed once, several "machines" (distinct machine ids and local
/// roots) of workers share one queue, and workers outlive a restart of the server.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class FleetWorkerTests
{
    private const string ServerVariable = "NECROCODE_POSTGRES_TEST";
    private const string ShortLease = "00:00:03";

    [Test]
    public async Task Worker_SigkilledMidRun_AnotherWorkerTakesTheTaskOverAfterTheLeaseAndCompletesItOnce()
    {
        await using var fleet = await Fleet.CreateAsync();
        using var sandbox = await Sandbox.CreateAsync();
        var (agent, first) = await WorkerTests.SlowFirstAttemptAgentAsync(sandbox);
        await EnqueueAsync(sandbox, fleet, ["1"]);
        using var killed = HostProcess.Start(sandbox.Root, fleet.Machine("machine-a", ShortLease), WorkerArguments(sandbox.Root, agent));
        await killed.WaitForFileAsync(first);
        await killed.SignalAsync("KILL");
        await killed.WaitForExitAsync();

        var rootB = await MachineRootAsync(sandbox, "machine-b", 1);
        using var taker = HostProcess.Start(rootB, fleet.Machine("machine-b", ShortLease), WorkerArguments(rootB, agent));
        await using var services = fleet.Services(sandbox, agent);
        var key = new TaskKey("calc", "1");
        var registry = services.GetRequiredService<ITaskRegistry>();
        await WorkerTests.WaitUntilAsync(async () => (await registry.GetTaskAsync(key, CancellationToken.None))?.State is TaskState.Done or TaskState.Failed, [taker]);
        await taker.SignalAsync("TERM");
        var exit = await taker.WaitForExitAsync();

        var entry = await services.GetRequiredService<ITaskQueue>().GetAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(exit.ExitCode, Is.Zero, exit.StandardError);
            Assert.That(entry!.Entry.Claims, Is.EqualTo(2), "claimed by the killed worker, then taken over:\n" + exit.StandardOutput + exit.StandardError);
        });
        await WorkerTests.AssertCompletedOnceAsync(sandbox, services, "1");
    }

    [Test]
    public async Task Worker_SigstoppedPastItsLease_ItsLateWritesAreRefusedAfterAnotherWorkerCompletesTheTask()
    {
        await using var fleet = await Fleet.CreateAsync();
        using var sandbox = await Sandbox.CreateAsync();
        var (agent, first) = await WorkerTests.SlowFirstAttemptAgentAsync(sandbox);
        await EnqueueAsync(sandbox, fleet, ["1"]);
        using var paused = HostProcess.Start(sandbox.Root, fleet.Machine("machine-a", ShortLease), WorkerArguments(sandbox.Root, agent));
        await paused.WaitForFileAsync(first);
        await paused.SignalAsync("STOP");

        await using var services = fleet.Services(sandbox, agent);
        var key = new TaskKey("calc", "1");
        var registry = services.GetRequiredService<ITaskRegistry>();
        Shell.Output takerExit;
        var rootB = await MachineRootAsync(sandbox, "machine-b", 1);
        using (var taker = HostProcess.Start(rootB, fleet.Machine("machine-b", ShortLease), WorkerArguments(rootB, agent)))
        {
            await WorkerTests.WaitUntilAsync(async () => (await registry.GetTaskAsync(key, CancellationToken.None))?.State is TaskState.Done or TaskState.Failed, [taker]);
            await taker.SignalAsync("TERM");
            takerExit = await taker.WaitForExitAsync();
        }

        var doneBy = (await registry.GetTaskAsync(key, CancellationToken.None))!;
        var eventsAtTakeOver = await registry.GetEventsAsync(key, CancellationToken.None);
        await paused.SignalAsync("CONT");
        await paused.WaitForOutputAsync("Outcome   Conflict", TimeSpan.FromMinutes(2));
        await paused.SignalAsync("TERM");
        var pausedExit = await paused.WaitForExitAsync();

        var after = (await registry.GetTaskAsync(key, CancellationToken.None))!;
        var events = await registry.GetEventsAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(takerExit.ExitCode, Is.Zero, takerExit.StandardError);
            Assert.That(doneBy.State, Is.EqualTo(TaskState.Done), "the other worker completed the task:\n" + takerExit.StandardOutput + takerExit.StandardError);
            Assert.That(pausedExit.StandardOutput, Does.Contain("Outcome   Conflict"), pausedExit.StandardError);
            Assert.That((after.State, after.RunnerId, after.UpdatedAt), Is.EqualTo((TaskState.Done, doneBy.RunnerId, doneBy.UpdatedAt)), "the paused worker changed nothing");
            Assert.That(events, Has.Count.EqualTo(eventsAtTakeOver.Count), "the paused worker recorded nothing after the take-over");
        });
        await WorkerTests.AssertCompletedOnceAsync(sandbox, services, "1");
    }

    /// <summary>
    /// Several machines × several worker processes × many tasks. By default 2 machines × 2 workers × 12 tasks (about
    /// 10-40 s on a 2-core machine); <c>NECROCODE_FLEET_FULL=1</c> runs 4 machines × 16 workers × 200 tasks, which needs
    /// far more cores: 64 host processes on 2 cores finished 7 tasks in the first 5 minutes.
    /// </summary>
    [Test]
    public async Task Workers_SeveralMachines_EveryTaskDoneExactlyOnceAndNothingHeldAtTheEnd()
    {
        var full = Environment.GetEnvironmentVariable("NECROCODE_FLEET_FULL") == "1";
        var (machines, workersPerMachine, tasks) = full ? (4, 16, 200) : (2, 2, 12);
        await RunFleetAsync(machines, workersPerMachine, tasks, restartServer: false);
    }

    [Test]
    public async Task Workers_ServerRestartedWhileTheyRun_ReconnectAndEveryTaskIsDoneExactlyOnce() =>
        await RunFleetAsync(machines: 2, workersPerMachine: 2, tasks: 12, restartServer: true);

    private static async Task RunFleetAsync(int machines, int workersPerMachine, int tasks, bool restartServer)
    {
        await using var fleet = await Fleet.CreateAsync();
        using var sandbox = await Sandbox.CreateAsync(slots: workersPerMachine);
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var ids = Enumerable.Range(1, tasks).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        await EnqueueAsync(sandbox, fleet, ids);
        var workers = new List<HostProcess>();
        try
        {
            for (var m = 0; m < machines; m++)
            {
                var root = m == 0 ? sandbox.Root : await MachineRootAsync(sandbox, $"machine-{m}", workersPerMachine);
                for (var w = 0; w < workersPerMachine; w++)
                {
                    workers.Add(HostProcess.Start(root, fleet.Machine($"machine-{m}", null), WorkerArguments(root, agent)));
                }
            }

            await using var services = fleet.Services(sandbox, agent);
            var queue = services.GetRequiredService<ITaskQueue>();
            if (restartServer)
            {
                await WorkerTests.WaitUntilAsync(async () => (await queue.ListAsync(TaskState.Done, CancellationToken.None)).Count > 0, workers);
                await Fleet.RestartServerAsync();
            }

            var patience = TimeSpan.FromMinutes(Math.Max(8, tasks / 10));
            await WorkerTests.WaitUntilAsync(async () => (await queue.ListAsync(TaskState.Done, CancellationToken.None)).Count == ids.Count || (await queue.ListAsync(TaskState.Failed, CancellationToken.None)).Count > 0, workers, patience);
            var exits = await WorkerTests.StopAllAsync(workers);
            var entries = await queue.ListAsync(null, CancellationToken.None);
            Assert.Multiple(async () =>
            {
                Assert.That(exits.Select(e => e.ExitCode), Is.All.Zero, string.Join("\n", exits.Select(e => e.StandardError)));
                Assert.That(entries.Select(e => (e.State, e.Claims)), Is.All.EqualTo((TaskState.Done, 1)), "every task Done, claimed once");
                Assert.That(entries, Has.Count.EqualTo(ids.Count));
                Assert.That(await fleet.CountAsync("SELECT count(*) FROM slot_leases"), Is.Zero, "no slot record left");
                Assert.That(await fleet.CountAsync("SELECT count(*) FROM branch_locks"), Is.Zero, "no branch lock left");
                Assert.That(await fleet.CountAsync("SELECT count(*) FROM run_permits WHERE permit_id IS NOT NULL"), Is.Zero, "no run permit left");
                Assert.That(await fleet.CountAsync("SELECT count(*) FROM tasks WHERE holder IS NOT NULL"), Is.Zero, "no claim left");
            });
            var registry = services.GetRequiredService<ITaskRegistry>();
            foreach (var id in ids)
            {
                var events = await registry.GetEventsAsync(new TaskKey("calc", id), CancellationToken.None);
                Assert.That(events.Count(e => e.Type == TaskEventTypes.TaskStarted), Is.EqualTo(1), $"one start of task {id}");
                await WorkerTests.AssertCompletedOnceAsync(sandbox, services, id);
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>Another machine's local root beside the sandbox: its own slots (clones of the same origin), artifacts and work folder.</summary>
    private static async Task<string> MachineRootAsync(Sandbox sandbox, string machine, int slots)
    {
        var root = Path.Combine(sandbox.Root, "machines", machine);
        Directory.CreateDirectory(Path.Combine(root, "slots"));
        for (var i = 1; i <= slots; i++)
        {
            await Shell.GitAsync(sandbox.Root, "clone", "--quiet", sandbox.Origin, Path.Combine(root, "slots", $"slot-{i}"));
        }

        return root;
    }

    private static async Task EnqueueAsync(Sandbox sandbox, Fleet fleet, IReadOnlyList<string> ids)
    {
        var files = await WorkerTests.WriteTasksAsync(sandbox, ids);
        var output = await CliHost.RunAsync(sandbox.Root, fleet.Machine("enqueuer", null), ["enqueue", .. files, "--root", sandbox.Root]);
        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
    }

    private static string[] WorkerArguments(string root, string agent) =>
    [
        "worker", "--root", root, "--agent-command", "/bin/sh", "--agent-arg", agent, "--quiet", "--idle-wait", "1",
        "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={Path.Combine(root, "work")}",
        "--set", "NecroCode:Processes:InterruptGracePeriod=00:00:01", "--set", "NecroCode:Processes:TerminateGracePeriod=00:00:01",
    ];

    /// <summary>A fresh schema on the test server, dropped at the end, and the settings that put a process of the host on it.</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly string _connectionString;
        private readonly string _schema = "w_" + Guid.NewGuid().ToString("N")[..16];

        private Fleet(string connectionString) => _connectionString = connectionString;

        public static Task<Fleet> CreateAsync()
        {
            var connectionString = Environment.GetEnvironmentVariable(ServerVariable);
            if (string.IsNullOrEmpty(connectionString))
            {
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail($"CI=true and {ServerVariable} is not set; eng/test.sh sources eng/services/postgres.sh to start a server.");
                }

                Assert.Ignore($"No PostgreSQL server for the tests ({ServerVariable} is not set); run 'source eng/services/postgres.sh' first.");
            }

            return Task.FromResult(new Fleet(connectionString!));
        }

        public static async Task RestartServerAsync()
        {
            var script = Environment.GetEnvironmentVariable("NECROCODE_POSTGRES_TEST_SCRIPT");
            Assert.That(script, Is.Not.Null.And.Not.Empty, "NECROCODE_POSTGRES_TEST_SCRIPT names eng/services/postgres.sh, which restarts the server");
            var output = await Shell.RunAsync("bash", Path.GetDirectoryName(script!)!, [script!, "restart"]);
            Assert.That(output.ExitCode, Is.Zero, output.StandardError);
        }

        /// <summary>The environment of a host process of machine <paramref name="machineId"/>.</summary>
        public Dictionary<string, string?> Machine(string machineId, string? lease)
        {
            var environment = new Dictionary<string, string?>
            {
                ["NecroCode__Registry__Kind"] = "postgresql",
                ["NecroCode__PostgreSql__ConnectionString"] = _connectionString,
                ["NecroCode__PostgreSql__Schema"] = _schema,
                ["NecroCode__PostgreSql__MachineId"] = machineId,
                ["NecroCode__PostgreSql__MaxParallelRuns"] = "6",
            };
            if (lease is not null)
            {
                environment["NecroCode__PostgreSql__LeaseDuration"] = lease;
            }

            return environment;
        }

        /// <summary>The runner composed as the host composes it, on this schema (to read the queue and the registry).</summary>
        public ServiceProvider Services(Sandbox sandbox, string agent) => RunnerFactory.Create(sandbox, agent, new Dictionary<string, string?>
        {
            ["NecroCode:Registry:Kind"] = "postgresql",
            ["NecroCode:PostgreSql:ConnectionString"] = _connectionString,
            ["NecroCode:PostgreSql:Schema"] = _schema,
            ["NecroCode:PostgreSql:MachineId"] = "observer",
        });

        public async Task<long> CountAsync(string sql)
        {
            await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { SearchPath = _schema }.ConnectionString);
            await using var command = source.CreateCommand(sql);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            await using var source = NpgsqlDataSource.Create(_connectionString);
            await using var command = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
            await command.ExecuteNonQueryAsync();
        }
    }
}
