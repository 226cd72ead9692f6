using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>R19: a runner process SIGKILLed in any step is resumed to the same end state as an uninterrupted run.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ResumeTests
{
    private static readonly string[] Steps =
        ["register", "acquire-slot", "prepare-workspace", "implement", "test", "commit", "push", "upload-artifacts", "report", "release-slot"];

    [TestCaseSource(nameof(Steps))]
    public async Task Resume_AfterSigkillDuringStep_SameEndStateAsUninterruptedRun(string step)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        var task = RunnerFactory.Task() with { TestCommands = ["sleep 1", "sh test.sh"] };
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(task));
        string[] common =
        [
            "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent,
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        ];

        var killed = await RunAndKillAtAsync(sandbox.Root, ["run", .. common, "--output", "jsonl"], step);
        var resumed = await CliHost.RunAsync(sandbox.Root, null, ["resume", .. common]);

        Assert.That(resumed.ExitCode, Is.Zero, $"killed at {step} (saw it: {killed}); resume said:\n{resumed.StandardOutput}\n{resumed.StandardError}");
        var commits = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main..feature/task-calc-1");
        await using var services = RunnerFactory.Create(sandbox, agent, new Dictionary<string, string?> { ["NecroCode:Runner:WorkDirectory"] = sandbox.WorkPath });
        var registry = services.GetRequiredService<ITaskRegistry>();
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var events = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(commits.Split('\n'), Is.EqualTo(new[] { "feat(task-1): Add subtraction" }), "one commit on the branch");
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(events.Count(e => e.Type == TaskEventTypes.TaskCompleted), Is.EqualTo(1), "one completion event");
            Assert.That(record.Artifacts.Select(a => a.Name), Is.EquivalentTo(new[] { "diff.patch", "run-log.jsonl", "test-results.json" }));
            Assert.That(File.ReadAllText(record.Artifacts.Single(a => a.Name == "diff.patch").Uri!.LocalPath), Does.Contain("$1 - $2"));
            Assert.That(Directory.EnumerateFiles(Path.Combine(sandbox.WorkPath, "journal"), "*", SearchOption.AllDirectories), Is.Empty, "journal removed at the end");
        });
        var pool = services.GetRequiredService<ISlotPool>();
        var lease = await pool.AcquireAsync(new SlotRequest(new TaskKey("check", "free"), "checker", "slot-1"), CancellationToken.None);
        await pool.ReleaseAsync(lease, CancellationToken.None);
    }

    /// <summary>Starts the host and SIGKILLs it as soon as it reports that <paramref name="step"/> started.</summary>
    private static async Task<bool> RunAndKillAtAsync(string workingDirectory, string[] arguments, string step)
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
        var marker = $"\"type\":\"step.started\",\"step\":\"{step}\"";
        var seen = false;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal) || (line.Contains("\"step\":\"" + step + "\"", StringComparison.Ordinal) && line.Contains("step.started", StringComparison.Ordinal)))
            {
                seen = true;
                process.Kill();
                break;
            }
        }

        await process.WaitForExitAsync();
        return seen;
    }
}
