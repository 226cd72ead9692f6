using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
[Category("Integration")]
public sealed partial class CliTests
{
    [Test]
    public async Task Demo_FreshMachine_ExitsZeroAndPrintsBranchAndArtifacts()
    {
        using var keep = new TempFolder("necrocode-demo-it-");
        var output = await CliHost.RunAsync(keep.Path, null, "demo", "--keep", keep.Path);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("feature/task-greeter-1"));
            Assert.That(output.StandardOutput, Does.Contain("Outcome   Succeeded"));
            Assert.That(output.StandardOutput, Does.Contain("diff.patch").And.Contain("file://"));
            Assert.That(output.StandardOutput, Does.Contain("> implement").And.Contain("demo-agent: done"));
        });
        var branchLog = await Shell.GitAsync(keep.Combine("origin.git"), "log", "--format=%s", "main..feature/task-greeter-1");
        Assert.That(branchLog, Is.EqualTo("feat(task-1): Greet by name"));
    }

    [Test]
    public async Task Run_TaskWithFiveBadFields_ExitCode2NamingAllAndNothingTouched()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, """
            { "taskId": "", "specName": "../x", "title": "", "timeout": "-00:01:00", "testCommands": [""] }
            """);
        var before = sandbox.AllFiles().Order().ToList();

        var output = await CliHost.RunAsync(sandbox.Root, null, "run", "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/true");

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2));
            foreach (var field in new[] { "taskId", "specName", "title", "timeout", "testCommands[0]" })
            {
                Assert.That(output.StandardError, Does.Contain(field));
            }

            Assert.That(sandbox.AllFiles().Order().ToList(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Run_OutputJsonLines_EveryLineParsesAndLastIsTheResult()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(RunnerFactory.Task()));

        var output = await CliHost.RunAsync(sandbox.Root, null, "run", "--task", taskFile, "--root", sandbox.Root,
            "--agent-command", "/bin/sh", "--agent-arg", agent, "--set", "NecroCode:Agent:PromptMode=Stdin",
            "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}", "--output", "jsonl");

        var lines = output.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardError);
            Assert.That(lines[^1], Does.StartWith("""{"type":"run.result","""));
            Assert.That(lines[..^1].Select(AgentRunnerJson.DeserializeEvent).OfType<RunFinished>().Single().Outcome, Is.EqualTo(RunOutcome.Succeeded));
        });
    }

    [Test]
    public async Task Run_LogFormatJson_EveryStderrLineIsAJsonLogEntry()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(RunnerFactory.Task()));

        var output = await CliHost.RunAsync(sandbox.Root, null, "run", "--task", taskFile, "--root", sandbox.Root,
            "--agent-command", "/bin/sh", "--agent-arg", agent, "--set", "NecroCode:Agent:PromptMode=Stdin",
            "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}", "--log-format", "json", "--log-level", "Information", "--quiet");

        var lines = output.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardError);
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("LogLevel").GetString()), Is.All.Not.Null);
            Assert.That(output.StandardError, Does.Contain("Step implement of task 1 started"));
        });
    }

    [Test]
    public async Task Run_MissingTaskFile_ExitCode2()
    {
        var output = await CliHost.RunAsync(Path.GetTempPath(), null, "run", "--task", "/nonexistent/task.json");

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2));
            Assert.That(output.StandardError, Does.Contain("task.json"));
        });
    }

    [Test]
    public async Task Run_BadSettingValue_ExitCode2NamingTheSetting()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(RunnerFactory.Task()));

        var output = await CliHost.RunAsync(sandbox.Root, null, "run", "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/true", "--set", "NecroCode:Git:PushAttempts=0");

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("PushAttempts"));
        });
    }

    [Test]
    public async Task Run_SixTasksParallelThreeOnThreeSlots_AllDoneSummariesPrintedExitZero()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 3);
        var tasks = await WriteTaskFolderAsync(sandbox, 6);

        var output = await RunParallelAsync(sandbox, tasks);

        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("unused", StandInAgents.ChangesNothing));
        var registry = services.GetRequiredService<ITaskRegistry>();
        Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
        for (var id = 1; id <= 6; id++)
        {
            var record = await registry.GetTaskAsync(new TaskKey("calc", id.ToString(CultureInfo.InvariantCulture)), CancellationToken.None);
            var commits = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", $"main..feature/task-calc-{id}");
            Assert.Multiple(() =>
            {
                Assert.That(record?.State, Is.EqualTo(TaskState.Done), $"task {id}");
                Assert.That(commits, Is.EqualTo($"feat(task-{id}): Add subtraction"));
                Assert.That(output.StandardOutput, Does.Contain($"Task      calc/{id}"));
            });
        }

        Assert.That(Regex.Count(output.StandardOutput, "Outcome   Succeeded"), Is.EqualTo(6));
    }

    [Test]
    public async Task Run_ParallelWithOneFailingTask_ExitCodeOneAndOthersDone()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 3);
        var tasks = await WriteTaskFolderAsync(sandbox, 6, failing: "4");

        var output = await RunParallelAsync(sandbox, tasks);

        await using var services = RunnerFactory.Create(sandbox, sandbox.Agent("unused", StandInAgents.ChangesNothing));
        var registry = services.GetRequiredService<ITaskRegistry>();
        Assert.That(output.ExitCode, Is.EqualTo(1), output.StandardOutput + output.StandardError);
        for (var id = 1; id <= 6; id++)
        {
            var record = await registry.GetTaskAsync(new TaskKey("calc", id.ToString(CultureInfo.InvariantCulture)), CancellationToken.None);
            Assert.That(record?.State, Is.EqualTo(id == 4 ? TaskState.Failed : TaskState.Done), $"task {id}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(Regex.Count(output.StandardOutput, "Outcome   Succeeded"), Is.EqualTo(5));
            Assert.That(output.StandardOutput, Does.Contain("Outcome   TestsFailed"));
        });
    }

    [Test]
    public async Task Run_TaskAlreadyDone_RefusedWithExitCode4UnlessRerun()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var taskFile = Path.Combine(sandbox.Root, "task.json");
        await File.WriteAllTextAsync(taskFile, AgentRunnerJson.Serialize(RunnerFactory.Task()));
        string[] arguments =
        [
            "run", "--task", taskFile, "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent,
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        ];
        var first = await CliHost.RunAsync(sandbox.Root, null, arguments);
        var tip = await Shell.GitAsync(sandbox.Origin, "rev-parse", "feature/task-calc-1");

        var again = await CliHost.RunAsync(sandbox.Root, null, arguments);
        var tipAfterRefusal = await Shell.GitAsync(sandbox.Origin, "rev-parse", "feature/task-calc-1");
        var rerun = await CliHost.RunAsync(sandbox.Root, null, [.. arguments, "--rerun"]);

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.StandardOutput + first.StandardError);
            Assert.That(again.ExitCode, Is.EqualTo(4), again.StandardOutput + again.StandardError);
            Assert.That(again.StandardOutput, Does.Contain("already Done").And.Contain("--rerun"));
            Assert.That(tipAfterRefusal, Is.EqualTo(tip));
            Assert.That(rerun.ExitCode, Is.Zero, rerun.StandardOutput + rerun.StandardError);
        });
    }

    private static async Task<string> WriteTaskFolderAsync(Sandbox sandbox, int count, string? failing = null)
    {
        var folder = Path.Combine(sandbox.Root, "tasks");
        Directory.CreateDirectory(folder);
        for (var i = 1; i <= count; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            // The failing task's second command passes on the base and fails once the agent changed calc.sh: a
            // regression (a command failing on the base already would be a pre-existing failure, not failing the run).
            var task = id == failing ? RunnerFactory.Task(id, "sh test.sh", "git diff --quiet -- calc.sh") : RunnerFactory.Task(id);
            await File.WriteAllTextAsync(Path.Combine(folder, $"task-{id}.json"), AgentRunnerJson.Serialize(task));
        }

        return folder;
    }

    private static Task<Shell.Output> RunParallelAsync(Sandbox sandbox, string tasks) =>
        CliHost.RunAsync(sandbox.Root, null, "run", "--task", tasks, "--parallel", "3", "--quiet", "--root", sandbox.Root,
            "--agent-command", "/bin/sh", "--agent-arg", sandbox.Agent("agent", StandInAgents.ImplementsSubtraction),
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", "NecroCode:Runner:MaxFixAttempts=0",
            "--set", "NecroCode:FileSystem:SlotAcquireTimeout=00:05:00",
            "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}");
}
