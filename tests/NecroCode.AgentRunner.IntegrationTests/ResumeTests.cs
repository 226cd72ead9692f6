using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// R19: a runner process SIGKILLed at any point — the start of every step, and every window between a side
/// effect and its journal entry — is resumed to the same end state as an uninterrupted run. The kill comes from
/// the runner's test-only fault injection (<c>NECROCODE_FAILPOINT</c>), so it lands exactly where named.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ResumeTests
{
    private const int SigkillExitCode = 128 + 9;

    private static readonly string[] FailPoints =
    [
        "register:before", "acquire-slot:before", "prepare-workspace:before", "implement:before", "test:before",
        "commit:before", "commit:after-effect", "push:before", "push:after-effect",
        "upload-artifacts:before", "upload-artifacts:after-effect:diff.patch", "upload-artifacts:after-effect:test-results.json",
        "report:before", "report:after-effect", "release-slot:before", "run-log:after-effect",
    ];

    [TestCaseSource(nameof(FailPoints))]
    public async Task Resume_AfterSigkillAtFailPoint_SameEndStateAsUninterruptedRun(string failPoint)
    {
        using var sandbox = await Sandbox.CreateAsync();
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var (task, common) = await WriteTaskAsync(sandbox, agent);

        var killed = await CliHost.RunAsync(sandbox.Root, new Dictionary<string, string?> { ["NECROCODE_FAILPOINT"] = failPoint }, ["run", .. common]);
        var resumed = await CliHost.RunAsync(sandbox.Root, null, ["resume", .. common]);

        Assert.That(killed.ExitCode, Is.EqualTo(SigkillExitCode), $"the runner was not killed at {failPoint}:\n{killed.StandardOutput}\n{killed.StandardError}");
        Assert.That(resumed.ExitCode, Is.Zero, $"killed at {failPoint}; resume said:\n{resumed.StandardOutput}\n{resumed.StandardError}");
        await using var services = RunnerFactory.Create(sandbox, agent);
        await AssertCompletedOnceAsync(sandbox, services, task);
        var registry = services.GetRequiredService<ITaskRegistry>();
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var runLog = File.ReadAllLines(record!.Artifacts.Single(a => a.Name == "run-log.jsonl").Uri!.LocalPath);
        var events = runLog.Select(AgentRunnerJson.DeserializeEvent).ToList();
        var resumedFromJournal = failPoint != "register:before";
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(record.Artifacts.Single(a => a.Name == "diff.patch").Uri!.LocalPath), Does.Contain("$1 - $2"));
            Assert.That(Directory.EnumerateFiles(sandbox.ArtifactsPath, "*", SearchOption.AllDirectories).Count(), Is.EqualTo(3), "one set of artifacts");
            Assert.That(events.OfType<RunStarted>().Count(), Is.EqualTo(resumedFromJournal ? 2 : 1), "the killed attempt's events are kept in the run log");
            Assert.That(events.OfType<RunWarning>().Any(w => w.Message.Contains("was resumed", StringComparison.Ordinal)), Is.EqualTo(resumedFromJournal));
        });
    }

    [Test]
    public async Task Resume_RunnerSigkilledWhileAgentRuns_StopsLeftoverProcessesThenCompletesOnce()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var marker = Path.Combine(sandbox.Probe, "first-attempt");
        var pids = Path.Combine(sandbox.Probe, "pids");
        var agent = sandbox.Agent("agent", $"""
            if [ ! -e {marker} ]; then
              touch {marker}
              sh -c 'trap "" TERM; sleep 300' &
              echo $! >> {pids}
              echo $$ >> {pids}
              echo "agent: working"
              sleep 300
            fi
            {StandInAgents.ImplementsSubtraction}
            """);
        var (task, common) = await WriteTaskAsync(sandbox, agent);

        var killedExit = await RunAndKillWhenAsync(sandbox.Root, ["run", .. common, "--output", "jsonl"], "agent: working");
        var leftovers = File.ReadAllLines(pids).Select(int.Parse).ToList();
        var aliveAfterKill = leftovers.Where(IsAlive).ToList();
        var resumed = await CliHost.RunAsync(sandbox.Root, null, ["resume", .. common]);

        Assert.Multiple(() =>
        {
            Assert.That(killedExit, Is.EqualTo(SigkillExitCode));
            Assert.That(aliveAfterKill, Is.EqualTo(leftovers), "the agent and its child outlive a SIGKILLed runner");
            Assert.That(resumed.ExitCode, Is.Zero, resumed.StandardOutput + resumed.StandardError);
            Assert.That(leftovers.Where(IsAlive), Is.Empty, "resume stops what the killed run left running");
        });
        await using var services = RunnerFactory.Create(sandbox, agent);
        await AssertCompletedOnceAsync(sandbox, services, task);
    }

    private static async Task<(TaskContext Task, string[] Arguments)> WriteTaskAsync(Sandbox sandbox, string agent)
    {
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        var task = RunnerFactory.Task();
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(task));
        string[] arguments =
        [
            "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent,
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Sandbox:ExtraWritablePaths:0={sandbox.Probe}", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        ];
        return (task, arguments);
    }

    /// <summary>The end state of one uninterrupted run: one commit pushed once, Done, one completion event, journal gone, slot free.</summary>
    private static async Task AssertCompletedOnceAsync(Sandbox sandbox, ServiceProvider services, TaskContext task)
    {
        var commits = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main..feature/task-calc-1");
        var branchUpdates = File.ReadAllLines(Path.Combine(sandbox.Origin, "logs", "refs", "heads", "feature", "task-calc-1"));
        var registry = services.GetRequiredService<ITaskRegistry>();
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var events = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(commits.Split('\n'), Is.EqualTo(new[] { "feat(task-1): Add subtraction" }), "one commit on the branch");
            Assert.That(branchUpdates, Has.Length.EqualTo(1), "one push");
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(events.Count(e => e.Type == TaskEventTypes.TaskCompleted), Is.EqualTo(1), "one completion event");
            Assert.That(record.Artifacts.Select(a => a.Name), Is.EquivalentTo(new[] { "diff.patch", "run-log.jsonl", "test-results.json" }));
            Assert.That(Directory.EnumerateFiles(Path.Combine(sandbox.WorkPath, "journal"), "*", SearchOption.AllDirectories), Is.Empty, "journal removed at the end");
        });
        var pool = services.GetRequiredService<ISlotPool>();
        var lease = await pool.AcquireAsync(new SlotRequest(new TaskKey("check", "free"), "checker", "slot-1"), CancellationToken.None);
        await pool.ReleaseAsync(lease, CancellationToken.None);
    }

    /// <summary>Starts the host, SIGKILLs it once it printed <paramref name="line"/>, and returns its exit code.</summary>
    private static async Task<int> RunAndKillWhenAsync(string workingDirectory, string[] arguments, string line)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliHost.HostPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } output)
        {
            if (output.Contains(line, StringComparison.Ordinal))
            {
                process.Kill();
                break;
            }
        }

        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        string text;
        try
        {
            text = File.ReadAllText(stat);
        }
        catch (IOException)
        {
            return false;
        }

        var state = text[(text.LastIndexOf(')') + 2)..][0];
        return state != 'Z' && state != 'X';
    }
}
