using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>How the host reports bad playbooks and unexpected errors: exit codes 2 and 3, clear messages, no lost summaries.</summary>
public sealed partial class CliTests
{
    private const string BadPlaybook = """
        name: bad
        steps:
          - uses: teleport
          - name: x
            run: 'true'
            if: task.title ==
        """;

    private static string[] RunArguments(Sandbox sandbox, string agent, params string[] more) =>
    [
        "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent,
        "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}", .. more,
    ];

    private static async Task<string> WriteTaskAsync(Sandbox sandbox, string fileName, TaskContext task)
    {
        var path = Path.Combine(sandbox.Root, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, AgentRunnerJson.Serialize(task));
        return path;
    }

    [Test]
    public async Task Run_InvalidPlaybooksOfTwoTasks_ExitCode2ListsEveryProblemAndNothingRuns()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var playbook = Path.Combine(sandbox.Root, "bad.yaml");
        await File.WriteAllTextAsync(playbook, BadPlaybook);
        var first = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1") with { PlaybookPath = playbook });
        var second = await WriteTaskAsync(sandbox, "t2.json", RunnerFactory.Task("2") with { PlaybookPath = Path.Combine(sandbox.Root, "missing.yaml") });

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", first, "--task", second, "--parallel", "2", .. RunArguments(sandbox, agent)]);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("calc/1").And.Contain("teleport").And.Contain("does not parse"));
            Assert.That(output.StandardError, Does.Contain("calc/2").And.Contain("missing.yaml"));
            Assert.That(output.StandardError, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "));
            Assert.That(output.StandardOutput, Does.Not.Contain("Outcome"));
            Assert.That(branches, Is.Empty);
            Assert.That(Directory.Exists(sandbox.RegistryPath) ? Directory.EnumerateFiles(sandbox.RegistryPath, "*", SearchOption.AllDirectories) : [], Is.Empty);
        });
    }

    [Test]
    public async Task Resume_OneOfTwoTasksHasACorruptJournal_ExitCode3AndTheOtherSummaryPrinted()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var first = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var second = await WriteTaskAsync(sandbox, "t2.json", RunnerFactory.Task("2"));
        Sandbox.Write(Path.Combine(sandbox.WorkPath, "journal", "calc"), "2.journal.json", "{ not json");

        var output = await CliHost.RunAsync(sandbox.Root, null, ["resume", "--task", first, "--task", second, "--parallel", "2", "--quiet", .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Task      calc/1").And.Contain("Outcome   Succeeded"));
            Assert.That(output.StandardError, Does.Contain("calc/2").And.Contain("corrupt"));
            Assert.That(output.StandardError, Does.Not.Contain("Unhandled exception"));
        });
    }

    [Test]
    public async Task Run_ResultFileCannotBeWritten_ExitCode3OneLineAndSummaryStillPrinted()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "t1.json", RunnerFactory.Task("1"));
        var resultFile = Path.Combine(sandbox.Root, "no-such-folder", "result.json");

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", "--result", resultFile, .. RunArguments(sandbox, agent)]);

        var errorLines = output.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Outcome   Succeeded"));
            Assert.That(errorLines, Has.Length.EqualTo(1));
            Assert.That(errorLines[0], Does.StartWith("Unexpected error (DirectoryNotFoundException)").And.Contain("no-such-folder"));
        });
    }

    [Test]
    public async Task Run_RelativePlaybookPath_ResolvedAgainstTheTaskFileFolder()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        Sandbox.Write(Path.Combine(sandbox.Root, "tasks", "playbooks"), "dry.yaml", """
            name: dry-run
            extends: default
            steps:
              - uses: push
                if: "false"
            """);
        var task = await WriteTaskAsync(sandbox, Path.Combine("tasks", "t1.json"), RunnerFactory.Task("1") with { PlaybookPath = "playbooks/dry.yaml" });

        var output = await CliHost.RunAsync(Path.GetTempPath(), null, ["run", "--task", task, "--quiet", .. RunArguments(sandbox, agent)]);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Outcome   Succeeded"));
            Assert.That(branches, Is.Empty);
        });
    }
}
