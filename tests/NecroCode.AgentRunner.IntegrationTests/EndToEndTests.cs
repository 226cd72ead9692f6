using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
[Category("Integration")]
public sealed class EndToEndTests
{
    [Test]
    public async Task RunAsync_PassingTask_BranchPushedWithOneCommitAndEverythingRecorded()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction));
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var log = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main..feature/task-calc-1");
        var tip = await Shell.GitAsync(sandbox.Origin, "rev-parse", "feature/task-calc-1");
        var registry = services.GetRequiredService<ITaskRegistry>();
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var events = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(log.Split('\n'), Is.EqualTo(new[] { "feat(task-1): Add subtraction" }));
            Assert.That(tip, Is.EqualTo(result.CommitId));
            Assert.That(result.Transitions.Select(t => t.To), Is.EqualTo(new[] { RunnerState.Running, RunnerState.Completed }));
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(events.Select(e => e.Type), Does.Contain(TaskEventTypes.TaskCompleted));
            Assert.That(record.Artifacts.Select(a => a.Name), Is.EquivalentTo(new[] { "diff.patch", "run-log.jsonl", "test-results.json" }));
            Assert.That(record.Artifacts.All(a => a.Uri!.IsFile && File.Exists(a.Uri.LocalPath)), Is.True);
            Assert.That(File.ReadAllText(record.Artifacts.Single(a => a.Name == "diff.patch").Uri!.LocalPath), Does.Contain("+  -) echo $(( $1 - $2 ));;"));
            Assert.That(File.ReadAllText(record.Artifacts.Single(a => a.Name == "test-results.json").Uri!.LocalPath), Does.Contain("sh test.sh"));
            Assert.That(File.ReadAllText(record.Artifacts.Single(a => a.Name == "run-log.jsonl").Uri!.LocalPath), Does.Contain("agent: implementing subtraction"));
        });
        await AssertSlotFreeAsync(services);
    }

    [Test]
    public async Task RunAsync_FailingTests_NothingPushedTaskFailedResultsStored()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.BreaksTheTests), new Dictionary<string, string?> { ["NecroCode:Runner:MaxFixAttempts"] = "0" });
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        var registry = services.GetRequiredService<ITaskRegistry>();
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var events = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(branches, Is.Empty);
            Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
            Assert.That(events[^1].Type, Is.EqualTo(TaskEventTypes.TaskFailed));
            Assert.That(File.ReadAllText(record.Artifacts.Single(a => a.Name == "test-results.json").Uri!.LocalPath), Does.Contain("expected 2, got 8"));
        });
        await AssertSlotFreeAsync(services);
    }

    [TestCase(StandInAgents.Fails, "exited with code 7")]
    [TestCase(StandInAgents.ChangesNothing, "without changing anything")]
    public async Task RunAsync_AgentFailsOrDoesNothing_FailedWithClearReason(string agent, string reason)
    {
        using var sandbox = await Sandbox.CreateAsync();
        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", agent));

        var result = await services.Orchestrator().RunAsync(RunnerFactory.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.AgentFailed));
            Assert.That(result.Error!.Message, Does.Contain(reason));
        });
        await AssertSlotFreeAsync(services);
    }

    [Test]
    public async Task RunAsync_CancelledWhileAgentRuns_SlotReturnedAndNoProcessLeft()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var pids = Path.Combine(sandbox.Probe, "pids");
        var agent = sandbox.Agent("agent", $"""
            cat > /dev/null
            sleep 300 &
            echo $! >> {pids}
            sh -c 'trap "" TERM; sleep 300' &
            echo $! >> {pids}
            echo $$ >> {pids}
            echo "agent: working"
            wait
            """);
        await using var services = RunnerFactory.Create(sandbox, agent);
        using var cts = new CancellationTokenSource();
        var run = await services.Orchestrator().StartAsync(RunnerFactory.Task(), cts.Token);

        await foreach (var e in run.Events)
        {
            if (e is OutputLine { Text: "agent: working" })
            {
                await cts.CancelAsync();
            }
        }

        var result = await run.Completion;
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            foreach (var pid in File.ReadAllLines(pids).Select(int.Parse))
            {
                Assert.That(IsAlive(pid), Is.False, $"process {pid} outlived the run");
            }
        });
        await AssertSlotFreeAsync(services);
    }

    [Test]
    public async Task RunAsync_SlotCannotBeRolledBack_SlotQuarantinedAndNextTaskGetsAnother()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var wrecker = sandbox.Agent("wrecker", "cat > /dev/null\nrm -rf .git/objects .git/refs\necho garbage > .git/HEAD\nexit 7");
        await using var broken = RunnerFactory.Create(sandbox, wrecker);
        await using var healthy = RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction));

        var first = await broken.Orchestrator().RunAsync(RunnerFactory.Task("1"), CancellationToken.None);
        var second = await healthy.Orchestrator().RunAsync(RunnerFactory.Task("2"), CancellationToken.None);

        var pool = (NecroCode.AgentRunner.FileSystem.FileSystemSlotPool)healthy.GetRequiredService<ISlotPool>();
        var quarantined = pool.GetQuarantinedSlots();
        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded, Is.False);
            Assert.That(first.SlotId, Is.EqualTo("slot-1"));
            Assert.That(first.SlotQuarantined, Does.Contain("rolling back"));
            Assert.That(second.Outcome, Is.EqualTo(RunOutcome.Succeeded), second.Error?.Message);
            Assert.That(second.SlotId, Is.EqualTo("slot-2"));
            Assert.That(quarantined.Select(q => q.SlotId), Is.EqualTo(new[] { "slot-1" }));
            Assert.That(quarantined[0].Reason, Is.EqualTo(first.SlotQuarantined));
            Assert.That(Directory.Exists(quarantined[0].Path), Is.True);
            Assert.That(pool.GetSlotIds(), Is.EqualTo(new[] { "slot-2" }));
        });
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        var text = File.ReadAllText(stat);
        var state = text[(text.LastIndexOf(')') + 2)..][0];
        return state != 'Z' && state != 'X';
    }

    private static async Task AssertSlotFreeAsync(ServiceProvider services)
    {
        var pool = services.GetRequiredService<ISlotPool>();
        var lease = await pool.AcquireAsync(new SlotRequest(new TaskKey("check", "free"), "checker", "slot-1"), CancellationToken.None);
        await pool.ReleaseAsync(lease, CancellationToken.None);
    }
}
