using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// Collisions a user can cause from outside, through the real host: a zero timeout, a protected branch, two tasks
/// wanting one branch, a claim lost to a live runner, a busy pool and a resume of a run that still runs.
/// </summary>
public sealed partial class CliTests
{
    [TestCase("00:00:00")]
    [TestCase("0.00:00:00")]
    public async Task Run_ZeroTimeout_ExitCode2AndNothingTouched(string timeout)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, $$"""{ "taskId": "1", "specName": "calc", "title": "Add subtraction", "timeout": "{{timeout}}" }""");
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var before = sandbox.AllFiles().Order().ToList();

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", taskFile, .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("timeout").And.Contain("more than zero"));
            Assert.That(sandbox.AllFiles().Order().ToList(), Is.EqualTo(before));
        });
    }

    [TestCase("main")]
    [TestCase("MAIN")]
    [TestCase("release/1.0")]
    public async Task Run_ProtectedBranchAsTaskBranch_ExitCode2AndNothingTouched(string branch)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var taskFile = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task() with { BranchName = branch });
        var before = sandbox.AllFiles().Order().ToList();

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", taskFile, .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("branchName").And.Contain(branch));
            Assert.That(output.StandardError, Does.Not.Contain("   at "));
            Assert.That(sandbox.AllFiles().Order().ToList(), Is.EqualTo(before), "nothing is registered or created");
        });
    }

    [Test]
    public async Task Run_TwoTasksWithOneExplicitBranchInOneInvocation_ExitCode4AndNothingRuns()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var first = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1") with { BranchName = "feature/shared" });
        var second = await WriteTaskAsync(sandbox, "t2.json", RunnerFactory.Task("2") with { BranchName = "feature/shared" });

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", first, "--task", second, "--parallel", "2", .. RunArguments(sandbox, agent)]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(4), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("feature/shared").And.Contain("calc/1").And.Contain("calc/2"));
            Assert.That(await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*"), Is.Empty, "nothing ran");
        });
    }

    /// <summary>Task ids that sanitise to one ref, and an explicit branch reused by a later task: the first pusher keeps its branch.</summary>
    [TestCase("1.", "1-", null)]
    [TestCase("1", "2", "feature/shared")]
    public async Task Run_SecondTaskWantsABranchAnotherTaskPushed_ExitCode4AndFirstBranchKept(string firstId, string secondId, string? branch)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var first = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task(firstId) with { BranchName = branch });
        var second = await WriteTaskAsync(sandbox, "t2.json", RunnerFactory.Task(secondId) with { BranchName = branch });
        var firstRun = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", first, .. RunArguments(sandbox, agent)]);
        var pushed = (await Shell.GitAsync(sandbox.Origin, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/feature")).Split('\n');

        var secondRun = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", second, .. RunArguments(sandbox, agent)]);

        await using var services = RunnerFactory.Create(sandbox, agent);
        var registry = services.GetRequiredService<ITaskRegistry>();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(firstRun.ExitCode, Is.Zero, firstRun.StandardOutput + firstRun.StandardError);
            Assert.That(pushed, Has.Length.EqualTo(1));
            Assert.That(secondRun.ExitCode, Is.EqualTo(4), secondRun.StandardOutput + secondRun.StandardError);
            Assert.That(secondRun.StandardError, Does.Contain($"calc/{firstId}").And.Contain("belongs to"));
            Assert.That((await Shell.GitAsync(sandbox.Origin, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/feature")).Split('\n'), Is.EqualTo(pushed), "the first task's branch is untouched");
            Assert.That(await registry.GetTaskAsync(new TaskKey("calc", secondId), CancellationToken.None), Is.Null, "nothing of the second task was recorded");
        });
    }

    [Test]
    public async Task Run_TaskHeldByALiveRunner_ExitCode4AndNothingStoredUnderTheTask()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        await using var busy = await BusyRunAsync(sandbox);

        var loser = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", busy.TaskFile, .. RunArguments(sandbox, busy.Agent)]);
        var stored = Directory.Exists(sandbox.ArtifactsPath) ? Directory.EnumerateFileSystemEntries(sandbox.ArtifactsPath, "*", SearchOption.AllDirectories).ToList() : [];
        var winner = await busy.FinishAsync();

        Assert.Multiple(() =>
        {
            Assert.That(loser.ExitCode, Is.EqualTo(4), loser.StandardOutput + loser.StandardError);
            Assert.That(stored, Is.Empty, "the refused claim stored nothing under the task it did not run");
            Assert.That(winner.ExitCode, Is.Zero, winner.StandardOutput + winner.StandardError);
        });
    }

    [Test]
    public async Task Run_PoolBusyAndNoWaitForASlot_OneLineNoStackTrace()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 1);
        await using var busy = await BusyRunAsync(sandbox);
        var other = await WriteTaskAsync(sandbox, "other.json", RunnerFactory.Task("2"));

        var refused = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", other, .. RunArguments(sandbox, busy.Agent, "--set", "NecroCode:FileSystem:SlotAcquireTimeout=00:00:00")]);
        var winner = await busy.FinishAsync();

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(3), refused.StandardOutput + refused.StandardError);
            Assert.That(refused.StandardError, Does.Contain("slot"));
            Assert.That(refused.StandardError, Does.Not.Contain("   at ").And.Not.Contain("Exception:"), "an expected condition prints no stack trace");
            Assert.That(winner.ExitCode, Is.Zero, winner.StandardOutput + winner.StandardError);
        });
    }

    [Test]
    public async Task Resume_WhileTheOriginalRunStillRuns_ExitCode4AndTheRunIsUndisturbed()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        await using var busy = await BusyRunAsync(sandbox);
        var spool = Directory.GetDirectories(Path.Combine(sandbox.WorkPath, "runs")).Single();

        var resume = await CliHost.RunAsync(sandbox.Root, null, ["resume", "--task", busy.TaskFile, .. RunArguments(sandbox, busy.Agent)]);
        var spoolKept = Directory.Exists(spool);
        var original = await busy.FinishAsync();

        await using var services = RunnerFactory.Create(sandbox, busy.Agent);
        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(new TaskKey("calc", "1"), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(resume.ExitCode, Is.EqualTo(4), resume.StandardOutput + resume.StandardError);
            Assert.That(resume.StandardError, Does.Contain("still runs"));
            Assert.That(spoolKept, Is.True, "the live run's spool folder is left alone");
            Assert.That(original.ExitCode, Is.Zero, original.StandardOutput + original.StandardError);
            Assert.That(record?.State, Is.EqualTo(TaskState.Done));
        });
    }

    /// <summary>Starts the host on task calc/1 with an agent that waits for a release file; returns once the agent runs.</summary>
    private static async Task<BusyRun> BusyRunAsync(Sandbox sandbox)
    {
        var started = Path.Combine(sandbox.Probe, "agent-started");
        var release = Path.Combine(sandbox.Probe, "agent-release");
        var agent = sandbox.Agent("agent", $$"""
            if [ ! -e {{started}} ]; then
              touch {{started}}
              while [ ! -e {{release}} ]; do sleep 0.1; done
            fi
            {{StandInAgents.ImplementsSubtraction}}
            """);
        var taskFile = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));
        var host = HostProcess.Start(sandbox.Root, ["run", "--task", taskFile, .. RunArguments(sandbox, agent)]);
        await host.WaitForFileAsync(started);
        return new BusyRun(host, taskFile, agent, release);
    }

    private sealed record BusyRun(HostProcess Host, string TaskFile, string Agent, string Release) : IAsyncDisposable
    {
        public async Task<Shell.Output> FinishAsync()
        {
            await File.WriteAllTextAsync(Release, "");
            return await Host.WaitForExitAsync();
        }

        public ValueTask DisposeAsync()
        {
            File.WriteAllText(Release, "");
            Host.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
