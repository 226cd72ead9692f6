using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

[TestFixture]
[Category("Integration")]
public sealed partial class CliTests
{
    [Test]
    public async Task Demo_FreshMachine_ExitsZeroAndPrintsBranchAndArtifacts()
    {
        var keep = Directory.CreateTempSubdirectory("necrocode-demo-it-").FullName;
        try
        {
            var output = await CliHost.RunAsync(keep, null, "demo", "--keep", keep);

            Assert.Multiple(() =>
            {
                Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
                Assert.That(output.StandardOutput, Does.Contain("feature/task-greeter-1"));
                Assert.That(output.StandardOutput, Does.Contain("Outcome   Succeeded"));
                Assert.That(output.StandardOutput, Does.Contain("diff.patch").And.Contain("file://"));
                Assert.That(output.StandardOutput, Does.Contain("> implement").And.Contain("demo-agent: done"));
            });
            var branchLog = await Shell.GitAsync(Path.Combine(keep, "origin.git"), "log", "--format=%s", "main..feature/task-greeter-1");
            Assert.That(branchLog, Is.EqualTo("feat(task-1): Greet by name"));
        }
        finally
        {
            Directory.Delete(keep, recursive: true);
        }
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
}
