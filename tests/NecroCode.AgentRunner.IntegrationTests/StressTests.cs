using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>R14: many runner processes on one registry, one slot pool and one origin.</summary>
[TestFixture]
[Category("Integration")]
public sealed class StressTests
{
    private const int Processes = 16;
    private const int TasksPerProcess = 4;
    private const int Slots = 8;

    [Test]
    public async Task Run_SixteenProcessesSixtyFourTasksEightSlots_EveryTaskDoneOnceAndNothingHeld()
    {
        using var sandbox = await Sandbox.CreateAsync(Slots);
        var agent = sandbox.Agent("agent", "cat > /dev/null\necho \"$NECROCODE_TASK_ID\" > \"task-$NECROCODE_TASK_ID.txt\"");
        var folders = new List<string>();
        for (var p = 0; p < Processes; p++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(sandbox.Root, "tasks", $"p{p}")).FullName;
            for (var t = 0; t < TasksPerProcess; t++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{p}.{t}");
                var task = RunnerFactory.Task(id) with { Title = $"Task {id}", TestCommands = ["true"] };
                await File.WriteAllTextAsync(Path.Combine(folder, $"{id}.json"), AgentRunnerJson.Serialize(task));
            }

            folders.Add(folder);
        }

        var runs = folders.Select(folder => CliHost.RunAsync(sandbox.Root, null,
            "run", "--task", folder, "--root", sandbox.Root, "--quiet",
            "--agent-command", "/bin/sh", "--agent-arg", agent,
            "--set", "NecroCode:Agent:PromptMode=Stdin",
            "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
            "--set", "NecroCode:Runner:MaxFixAttempts=0",
            "--set", "NecroCode:FileSystem:SlotAcquireTimeout=00:10:00",
            "--set", "NecroCode:Concurrency:MaxParallelRuns=64")).ToList();
        var outputs = await Task.WhenAll(runs);

        Assert.That(outputs.Select(o => o.ExitCode), Is.All.Zero, string.Join("\n---\n", outputs.Where(o => o.ExitCode != 0).Select(o => o.StandardOutput + o.StandardError)));
        await using var services = RunnerFactory.Create(sandbox, agent);
        var registry = services.GetRequiredService<ITaskRegistry>();
        var branches = (await Shell.GitAsync(sandbox.Origin, "for-each-ref", "--format=%(refname:short)", "refs/heads/feature/")).Split('\n');
        Assert.That(branches, Has.Length.EqualTo(Processes * TasksPerProcess));
        foreach (var branch in branches)
        {
            var commits = await Shell.GitAsync(sandbox.Origin, "rev-list", "--count", $"main..{branch}");
            Assert.That(commits, Is.EqualTo("1"), branch);
        }

        for (var p = 0; p < Processes; p++)
        {
            for (var t = 0; t < TasksPerProcess; t++)
            {
                var key = new TaskKey("calc", string.Create(CultureInfo.InvariantCulture, $"{p}.{t}"));
                var record = await registry.GetTaskAsync(key, CancellationToken.None);
                var events = await registry.GetEventsAsync(key, CancellationToken.None);
                Assert.Multiple(() =>
                {
                    Assert.That(record!.State, Is.EqualTo(TaskState.Done), key.ToString());
                    Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { TaskEventTypes.TaskStarted, TaskEventTypes.TaskCompleted }), key.ToString());
                    Assert.That(record.Artifacts, Has.Count.EqualTo(3), key.ToString());
                });
            }
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await registry.GetRunnersAsync(CancellationToken.None), Is.Empty, "every runner unregistered");
            Assert.That(Directory.EnumerateFiles(Path.Combine(sandbox.SlotsPath, ".leases"), "*.lease"), Is.Empty, "no slot held");
        });
    }
}
