using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>How the host reads what a user types: task files named in their problems, unknown options, the root folder, log text.</summary>
public sealed partial class CliTests
{
    [Test]
    public async Task Run_TwoInvalidTaskFiles_EachProblemBlockNamesItsFile()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var first = await WriteTaskAsync(sandbox, "first.json", RunnerFactory.Task("1") with { Timeout = TimeSpan.FromMinutes(-1) });
        var second = Path.Combine(sandbox.Root, "tasks", "second.json");
        Sandbox.Write(Path.GetDirectoryName(second)!, "second.json", """{ "taskId": "2" }""");
        var before = sandbox.AllFiles().Order().ToList();

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", first, "--task", Path.GetDirectoryName(second)!, .. RunArguments(sandbox, "/bin/true")]);

        var blocks = output.StandardError.Split("The task is invalid").Length - 1;
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardError);
            Assert.That(blocks, Is.EqualTo(2), output.StandardError);
            Assert.That(output.StandardError, Does.Contain($"{first}: The task is invalid (1 problem)"));
            Assert.That(output.StandardError, Does.Contain($"{second}: The task is invalid (2 problems)"));
            Assert.That(sandbox.AllFiles().Order().ToList(), Is.EqualTo(before));
        });
    }

    [TestCase("--paralel", "--parallel")]
    [TestCase("--log-levle", "--log-level")]
    [TestCase("--rerunn", "--rerun")]
    public async Task Run_MisspelledOptionAfterTask_RefusedAsUnknownNamingTheNearestAndNothingTouched(string typo, string nearest)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));
        var before = sandbox.AllFiles().Order().ToList();

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", .. RunArguments(sandbox, "/bin/true"), "--task", task, typo, "2"]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardError);
            Assert.That(output.StandardError, Does.Contain($"Unknown option '{typo}'; did you mean {nearest}?"));
            Assert.That(output.StandardError, Does.Not.Contain("Could not find file"));
            Assert.That(sandbox.AllFiles().Order().ToList(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Run_RootWhoseParentDoesNotExist_ExitCode2NamingItAndNothingCreated()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));
        var parent = Path.Combine(sandbox.Root, "missing");
        var root = Path.Combine(parent, "root");

        var output = await CliHost.RunAsync(sandbox.Root, null, "run", "--task", task, "--root", root, "--agent-command", "/bin/true");

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(2), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("RootPath").And.Contain($"'{parent}'"));
            Assert.That(output.StandardError, Does.Not.Contain("   at "));
            Assert.That(Directory.Exists(parent), Is.False);
        });
    }

    [Test]
    public async Task Run_InformationLogLevel_NoMessageEndsInAnEmptyPlaceholder()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", "--log-level", "Information", .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardError, Does.Contain("Succeeded in").And.Contain("moved from Idle to"));
            Assert.That(output.StandardError, Does.Not.Contain("(null)").And.Not.Contain("exit code )"));
        });
    }
}
