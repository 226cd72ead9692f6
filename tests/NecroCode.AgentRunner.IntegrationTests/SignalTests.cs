using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// Ctrl+C and SIGTERM sent to a real <c>necrocode-runner</c> while its agent runs: the run ends Cancelled with its
/// summary, the task is recorded, the run log stored, the slot returned, the journal removed and no process of the
/// run is left; a second signal forces the host out at once, still leaving no process behind.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SignalTests
{
    [TestCase("INT")]
    [TestCase("TERM")]
    [TestCase("HUP")]
    public async Task Run_SignalWhileAgentRuns_CancelledRunIsRecordedAndCleanedUp(string signal)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var pids = Path.Combine(sandbox.Probe, "pids");
        var agent = sandbox.Agent("agent", $"""
            cat > /dev/null
            sleep 300 &
            echo $! >> {pids}.tmp
            echo $$ >> {pids}.tmp
            mv {pids}.tmp {pids}
            wait
            """);
        var task = RunnerFactory.Task();
        using var host = HostProcess.Start(sandbox.Root, ["run", .. await ArgumentsAsync(sandbox, agent, task)]);

        await host.WaitForFileAsync(pids);
        await host.SignalAsync(signal);
        var output = await host.WaitForExitAsync();

        var processes = File.ReadAllLines(pids).Select(int.Parse).ToList();
        await using var services = RunnerFactory.Create(sandbox, agent);
        var registry = services.GetRequiredService<ITaskRegistry>();
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var events = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(130), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Outcome   Cancelled"), "the summary is printed");
            Assert.That(output.StandardError, Does.Not.Contain("   at "));
            Assert.That(processes.Where(HostProcess.IsAlive), Is.Empty, "no process of the run outlives the host");
            Assert.That(record?.State, Is.EqualTo(TaskState.Failed), "the task is recorded, not left Running");
            Assert.That(events.Select(e => e.Type), Does.Contain(TaskEventTypes.TaskFailed));
            Assert.That(record?.Artifacts.Select(a => a.Name), Does.Contain("run-log.jsonl"), "the run log is stored");
            Assert.That(Directory.EnumerateFiles(Path.Combine(sandbox.SlotsPath, ".leases"), "*.lease"), Is.Empty, "the slot lease is returned");
            Assert.That(Directory.EnumerateFiles(Path.Combine(sandbox.WorkPath, "journal"), "*", SearchOption.AllDirectories), Is.Empty, "the journal is removed");
        });
    }

    [Test]
    public async Task Run_SecondSigintWhileStopping_ForcesExitAndNoProcessIsLeft()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var pids = Path.Combine(sandbox.Probe, "pids");

        // An agent deaf to SIGINT and SIGTERM: with these grace periods the first Ctrl+C alone would take 20 minutes.
        var agent = sandbox.Agent("agent", $"""
            trap '' INT TERM
            cat > /dev/null
            sleep 600 &
            echo $! >> {pids}.tmp
            echo $$ >> {pids}.tmp
            mv {pids}.tmp {pids}
            while :; do wait; done
            """);
        var task = RunnerFactory.Task();
        using var host = HostProcess.Start(
            sandbox.Root,
            ["run", .. await ArgumentsAsync(sandbox, agent, task), "--set", "NecroCode:Processes:InterruptGracePeriod=00:10:00", "--set", "NecroCode:Processes:TerminateGracePeriod=00:10:00"]);

        await host.WaitForFileAsync(pids);
        await host.SignalAsync("INT");
        await host.WaitForOutputAsync("Send it again to force");
        await host.SignalAsync("INT");
        var output = await host.WaitForExitAsync();

        var processes = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(130), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("forced stop"));
            Assert.That(processes.Where(HostProcess.IsAlive), Is.Empty, "a forced stop still leaves no process of the run");
        });
    }

    private static async Task<string[]> ArgumentsAsync(Sandbox sandbox, string agent, TaskContext task)
    {
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(task));
        return
        [
            "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent,
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
            "--set", "NecroCode:Processes:InterruptGracePeriod=00:00:01", "--set", "NecroCode:Processes:TerminateGracePeriod=00:00:01",
        ];
    }
}
