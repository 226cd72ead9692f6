using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// <c>enqueue</c> and <c>worker</c> as real processes of the host on the file-system registry and queue, with a real
/// bare origin: many workers share one queue, a worker drains on SIGTERM, and a SIGKILLed worker's task is taken over.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class WorkerTests
{
    private const int SigkillExitCode = 128 + 9;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    [Test]
    public async Task Workers_ThreeProcessesOnTwentyTasks_EveryTaskDoneExactlyOnce()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 3);
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var ids = Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var files = await WriteTasksAsync(sandbox, ids);
        var enqueued = await CliHost.RunAsync(sandbox.Root, null, ["enqueue", .. files, "--root", sandbox.Root]);
        Assert.That(enqueued.ExitCode, Is.Zero, enqueued.StandardOutput + enqueued.StandardError);

        var workers = Enumerable.Range(0, 3).Select(_ => HostProcess.Start(sandbox.Root, WorkerArguments(sandbox, agent))).ToList();
        try
        {
            await using var services = RunnerFactory.Create(sandbox, agent);
            var queue = services.GetRequiredService<ITaskQueue>();
            await WaitUntilAsync(async () => (await queue.ListAsync(TaskState.Done, CancellationToken.None)).Count == ids.Count || (await queue.ListAsync(TaskState.Failed, CancellationToken.None)).Count > 0, workers);
            var exits = await StopAllAsync(workers);
            var entries = await queue.ListAsync(null, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(exits.Select(e => e.ExitCode), Is.All.Zero, string.Join("\n", exits.Select(e => e.StandardError)));
                Assert.That(entries.Select(e => (e.State, e.Claims)), Is.All.EqualTo((TaskState.Done, 1)), "every task Done, claimed once");
                Assert.That(exits.Count(e => e.StandardError.Contains("Claimed ", StringComparison.Ordinal)), Is.GreaterThan(1), "the work was shared");
            });
            foreach (var id in ids)
            {
                await AssertCompletedOnceAsync(sandbox, services, id);
            }
        }
        finally
        {
            Dispose(workers);
        }
    }

    [Test]
    public async Task Worker_SigtermWhileATaskRuns_NotReadyWhileTheTaskFinishesWithinTheDrainThenExitsZero()
    {
        using var sandbox = await Sandbox.CreateAsync();
        Directory.CreateDirectory(sandbox.ArtifactsPath);
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var started = Path.Combine(sandbox.Probe, "agent-started");
        var release = Path.Combine(sandbox.Probe, "agent-release");
        var agent = sandbox.Agent("agent", $"touch {started}\nwhile [ ! -e {release} ]; do sleep 0.1; done\n{StandInAgents.ImplementsSubtraction}");
        await EnqueueAsync(sandbox, "1");
        await EnqueueAsync(sandbox, "2");
        var port = FreePort();
        using var worker = HostProcess.Start(sandbox.Root, [.. WorkerArguments(sandbox, agent), "--drain-timeout", "300", "--health-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await worker.WaitForFileAsync(started);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var readyWhileWorking = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
        var readyBody = await readyWhileWorking.Content.ReadAsStringAsync();

        await worker.SignalAsync("TERM");
        await worker.WaitForOutputAsync("Draining");
        var readyWhileDraining = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
        await File.WriteAllTextAsync(release, "go");
        var exit = await worker.WaitForExitAsync();

        await using var services = RunnerFactory.Create(sandbox, agent);
        var second = await services.GetRequiredService<ITaskQueue>().GetAsync(new TaskKey("calc", "2"), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(readyWhileWorking.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), readyBody);
            Assert.That(readyWhileDraining.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
            Assert.That(exit.ExitCode, Is.Zero, exit.StandardError);
            Assert.That(exit.StandardError, Does.Contain("Drained"));
            Assert.That(second!.Entry.State, Is.EqualTo(TaskState.Pending), "a draining worker claims nothing more");
        });
        await AssertCompletedOnceAsync(sandbox, services, "1");
    }

    [Test]
    public async Task Worker_SigtermWhileATaskOutlastsTheDrain_HandsItBackAndAnotherWorkerCompletesIt()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var (agent, first) = await EnqueueSlowFirstAttemptAsync(sandbox);
        using var draining = HostProcess.Start(sandbox.Root, [.. WorkerArguments(sandbox, agent), "--drain-timeout", "1"]);
        await draining.WaitForFileAsync(first);

        await draining.SignalAsync("TERM");
        var drained = await draining.WaitForExitAsync();

        await using var services = RunnerFactory.Create(sandbox, agent);
        var key = new TaskKey("calc", "1");
        var afterDrain = await services.GetRequiredService<ITaskQueue>().GetAsync(key, CancellationToken.None);
        var events = await services.GetRequiredService<ITaskRegistry>().GetEventsAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(drained.ExitCode, Is.Zero, drained.StandardError);
            Assert.That(drained.StandardError, Does.Contain("Handed calc/1 back"));
            Assert.That(afterDrain!.Entry.State, Is.EqualTo(TaskState.Pending), "handed back, not abandoned");
            Assert.That(events.Select(e => e.Type), Has.No.Member(TaskEventTypes.TaskFailed));
        });

        Assert.That((await FinishWithNewWorkerAsync(sandbox, agent, services, key)).ExitCode, Is.Zero);
        await AssertCompletedOnceAsync(sandbox, services, "1");
    }

    [TestCase("push:after-effect")]
    [TestCase("commit:after-effect")]
    public async Task Worker_SigkilledMidRun_AnotherWorkerTakesTheTaskOverAndCompletesItOnce(string failPoint)
    {
        using var sandbox = await Sandbox.CreateAsync();
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        await EnqueueAsync(sandbox, "1");
        using var killed = HostProcess.Start(sandbox.Root, new Dictionary<string, string?> { ["NECROCODE_FAILPOINT"] = failPoint }, WorkerArguments(sandbox, agent));
        var killedExit = await killed.WaitForExitAsync();
        Assert.That(killedExit.ExitCode, Is.EqualTo(SigkillExitCode), killedExit.StandardError);

        await using var services = RunnerFactory.Create(sandbox, agent);
        var key = new TaskKey("calc", "1");
        var exit = await FinishWithNewWorkerAsync(sandbox, agent, services, key);

        var entry = await services.GetRequiredService<ITaskQueue>().GetAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(exit.ExitCode, Is.Zero, exit.StandardError);
            Assert.That(entry!.Entry.Claims, Is.EqualTo(2), "claimed by the killed worker, then taken over");
            Assert.That(exit.StandardOutput, Does.Contain("Outcome   Succeeded"));
        });
        await AssertCompletedOnceAsync(sandbox, services, "1");
    }

    [Test]
    public async Task Worker_SigkilledWhileItsAgentRuns_AnotherWorkerTakesTheTaskOverAndCompletesItOnce()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var (agent, first) = await EnqueueSlowFirstAttemptAsync(sandbox);
        using var killed = HostProcess.Start(sandbox.Root, WorkerArguments(sandbox, agent));
        await killed.WaitForFileAsync(first);
        await killed.SignalAsync("KILL");
        Assert.That((await killed.WaitForExitAsync()).ExitCode, Is.EqualTo(SigkillExitCode));

        await using var services = RunnerFactory.Create(sandbox, agent);
        var key = new TaskKey("calc", "1");
        var exit = await FinishWithNewWorkerAsync(sandbox, agent, services, key);

        Assert.That(exit.ExitCode, Is.Zero, exit.StandardError);
        await AssertCompletedOnceAsync(sandbox, services, "1");
    }

    [Test]
    public async Task Enqueue_ABadFileAmongGoodOnes_NamesItAndEnqueuesNothing()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var files = await WriteTasksAsync(sandbox, ["1", "2"]);
        var bad = Path.Combine(sandbox.Root, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "taskId": "3", "specName": "calc" }""");

        var output = await CliHost.RunAsync(sandbox.Root, null, ["enqueue", files[0], bad, files[1], "--root", sandbox.Root]);
        var listed = await CliHost.RunAsync(sandbox.Root, null, ["tasks", "list", "--root", sandbox.Root]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2));
            Assert.That(output.StandardError, Does.Contain(bad).And.Contain("Nothing was enqueued"));
            Assert.That(listed.ExitCode, Is.Zero);
            Assert.That(listed.StandardOutput, Is.Empty);
        });
    }

    [Test]
    public async Task Tasks_ListAndShowAfterEnqueue_PrintTheEntriesAndTheDefinition()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var files = await WriteTasksAsync(sandbox, ["1", "2"]);
        var enqueued = await CliHost.RunAsync(sandbox.Root, null, ["enqueue", .. files, "--root", sandbox.Root]);

        var list = await CliHost.RunAsync(sandbox.Root, null, ["tasks", "list", "--state", "pending", "--root", sandbox.Root]);
        var json = await CliHost.RunAsync(sandbox.Root, null, ["tasks", "list", "--json", "--root", sandbox.Root]);
        var show = await CliHost.RunAsync(sandbox.Root, null, ["tasks", "show", "calc/2", "--root", sandbox.Root]);
        var showJson = await CliHost.RunAsync(sandbox.Root, null, ["tasks", "show", "calc/2", "--json", "--root", sandbox.Root]);
        var unknown = await CliHost.RunAsync(sandbox.Root, null, ["tasks", "show", "calc/9", "--root", sandbox.Root]);

        var entries = System.Text.Json.JsonDocument.Parse(json.StandardOutput).RootElement;
        var shown = System.Text.Json.JsonDocument.Parse(showJson.StandardOutput).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(enqueued.StandardOutput, Does.Contain("Enqueued calc/1").And.Contain("Enqueued calc/2"));
            Assert.That(list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split("  ")[0]), Is.EqualTo(new[] { "calc/1", "calc/2" }));
            Assert.That(entries.EnumerateArray().Select(e => e.GetProperty("state").GetString()), Is.EqualTo(new[] { "Pending", "Pending" }));
            Assert.That(show.StandardOutput, Does.Contain("Title     Add subtraction").And.Contain("Test      sh test.sh"));
            Assert.That(shown.GetProperty("definition").GetProperty("taskId").GetString(), Is.EqualTo("2"));
            Assert.That(unknown.ExitCode, Is.EqualTo(2));
            Assert.That(unknown.StandardError, Does.Contain("calc/9"));
        });
    }

    /// <summary>
    /// Enqueues task 1 with an agent whose first attempt hangs (after creating the returned marker file) and whose later
    /// attempts implement the task; the origin logs every ref update (one line a push).
    /// </summary>
    private static async Task<(string Agent, string FirstAttempt)> EnqueueSlowFirstAttemptAsync(Sandbox sandbox)
    {
        var (agent, first) = await SlowFirstAttemptAgentAsync(sandbox);
        await EnqueueAsync(sandbox, "1");
        return (agent, first);
    }

    /// <summary>An agent whose first attempt hangs (after creating the returned marker file) and whose later attempts implement the task; the origin logs every ref update.</summary>
    internal static async Task<(string Agent, string FirstAttempt)> SlowFirstAttemptAgentAsync(Sandbox sandbox)
    {
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var first = Path.Combine(sandbox.Probe, "first-attempt");
        var agent = sandbox.Agent("agent", $"""
            if [ ! -e {first} ]; then
              touch {first}
              sleep 300
            fi
            {StandInAgents.ImplementsSubtraction}
            """);
        return (agent, first);
    }

    /// <summary>Sends SIGTERM to every worker, then waits for each to exit and returns what they printed.</summary>
    internal static async Task<List<Shell.Output>> StopAllAsync(IReadOnlyList<HostProcess> workers)
    {
        foreach (var worker in workers)
        {
            await worker.SignalAsync("TERM");
        }

        var exits = new List<Shell.Output>();
        foreach (var worker in workers)
        {
            exits.Add(await worker.WaitForExitAsync());
        }

        return exits;
    }

    private static string[] WorkerArguments(Sandbox sandbox, string agent) =>
    [
        "worker", "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent, "--quiet", "--idle-wait", "1",
        "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        "--set", "NecroCode:Processes:InterruptGracePeriod=00:00:01", "--set", "NecroCode:Processes:TerminateGracePeriod=00:00:01",
    ];

    internal static async Task<List<string>> WriteTasksAsync(Sandbox sandbox, IEnumerable<string> ids)
    {
        var files = new List<string>();
        foreach (var id in ids)
        {
            var path = Path.Combine(sandbox.Root, "tasks", $"task-{id}.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, AgentRunnerJson.Serialize(RunnerFactory.Task(id)));
            files.Add(path);
        }

        return files;
    }

    private static async Task EnqueueAsync(Sandbox sandbox, string id)
    {
        var files = await WriteTasksAsync(sandbox, [id]);
        var output = await CliHost.RunAsync(sandbox.Root, null, ["enqueue", .. files, "--root", sandbox.Root]);
        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
    }

    /// <summary>Starts a worker, lets it run <paramref name="key"/> to its end, stops it and returns what it printed.</summary>
    private static async Task<Shell.Output> FinishWithNewWorkerAsync(Sandbox sandbox, string agent, ServiceProvider services, TaskKey key)
    {
        using var worker = HostProcess.Start(sandbox.Root, WorkerArguments(sandbox, agent));
        var registry = services.GetRequiredService<ITaskRegistry>();
        await WaitUntilAsync(async () => (await registry.GetTaskAsync(key, CancellationToken.None))?.State is TaskState.Done or TaskState.Failed, [worker]);
        await worker.SignalAsync("TERM");
        return await worker.WaitForExitAsync();
    }

    /// <summary>Waits (a bound, never a measurement) until <paramref name="done"/> holds; fails naming the workers' output otherwise.</summary>
    internal static async Task WaitUntilAsync(Func<Task<bool>> done, IReadOnlyList<HostProcess> workers, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The workers did not finish in time:\n" + string.Join("\n---\n", workers.Select(w => w.StandardOutput + w.StandardError)));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>One commit on the task's branch, pushed once, the task Done with one start and one completion recorded by its last runner.</summary>
    internal static async Task AssertCompletedOnceAsync(Sandbox sandbox, ServiceProvider services, string id)
    {
        var branch = $"feature/task-calc-{id}";
        var commits = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", $"main..{branch}");
        var reflog = Path.Combine(sandbox.Origin, "logs", "refs", "heads", "feature", $"task-calc-{id}");
        var registry = services.GetRequiredService<ITaskRegistry>();
        var key = new TaskKey("calc", id);
        var record = await registry.GetTaskAsync(key, CancellationToken.None);
        var events = await registry.GetEventsAsync(key, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(record!.State, Is.EqualTo(TaskState.Done), $"task {id}");
            Assert.That(commits.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), $"one commit on {branch}");
            Assert.That(File.ReadAllLines(reflog), Has.Length.EqualTo(1), $"one push of {branch}");

            Assert.That(events.Count(e => e.Type == TaskEventTypes.TaskCompleted), Is.EqualTo(1), $"one completion of task {id}");
            Assert.That(events.Where(e => e.Type is TaskEventTypes.TaskCompleted or TaskEventTypes.TaskFailed).Select(e => e.RunnerId), Is.EqualTo(new[] { record.RunnerId }));
        });
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Dispose(IEnumerable<HostProcess> workers)
    {
        foreach (var worker in workers)
        {
            worker.Dispose();
        }
    }
}
