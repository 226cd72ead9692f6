using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>What the runner checks of an agent's work before it commits (R3.3, R3.5), over real git and a bare origin.</summary>
[TestFixture]
[Category("Integration")]
public sealed class AgentChecksTests
{
    private const string Branch = "feature/task-calc-1";

    [Test]
    public async Task RunAsync_AgentLinksOutsideTheWorkspace_RefusedNamingThePathAndNothingPushed()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction + "\nln -s /etc/passwd host-passwd");
        await using var services = RunnerFactory.Create(sandbox, agent);

        var result = await services.Orchestrator().RunAsync(RunnerFactory.Task(), CancellationToken.None);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(result.Error!.Message, Does.Contain("host-passwd").And.Contain("outside the workspace"));
            Assert.That(branches, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_AgentCommitsByItself_FoldedIntoTheRunnersSingleCommit()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction + """

            git add --all
            git -c user.name=Agent -c user.email=agent@example.com commit --quiet -m "agent: wip"
            echo "# subtraction" >> README.md
            git -c user.name=Agent -c user.email=agent@example.com commit --quiet -am "agent: docs"
            """);
        await using var services = RunnerFactory.Create(sandbox, agent);

        var result = await services.Orchestrator().RunAsync(RunnerFactory.Task(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var log = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s|%an", "main.." + Branch);
        var files = await Shell.GitAsync(sandbox.Origin, "diff", "--name-only", "main", Branch);
        Assert.Multiple(() =>
        {
            Assert.That(log.Split('\n'), Has.Length.EqualTo(1));
            Assert.That(log, Does.StartWith("feat(task-1): Add subtraction|").And.Not.Contain("Agent"));
            Assert.That(files.Split('\n'), Is.EquivalentTo(new[] { "README.md", "calc.sh", "tests/sub.sh" }));
        });
    }

    [Test]
    public async Task RunAsync_AgentPushesByItself_RefusedNamingTheRefAndTheRunnerPushesNothing()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction + """

            git add --all
            git -c user.name=Agent -c user.email=agent@example.com commit --quiet -m "agent: pushed myself"
            git push --quiet origin HEAD
            """);

        // Origin is a folder here; over the network (where it usually is) the sandbox would not stop the agent's push.
        await using var services = RunnerFactory.Create(sandbox, agent, new Dictionary<string, string?> { ["NecroCode:Sandbox:ExtraWritablePaths:1"] = sandbox.Origin });

        var result = await services.Orchestrator().RunAsync(RunnerFactory.Task(), CancellationToken.None);

        var log = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main.." + Branch);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused));
            Assert.That(result.Error!.Message, Does.Contain("pushed by itself").And.Contain("refs/remotes/origin/" + Branch));
            Assert.That(result.Push, Is.Null);
            Assert.That(log, Is.EqualTo("agent: pushed myself"));
        });
    }

    [Test]
    public async Task RunAsync_AgentFetches_NotTakenForAPush()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", "git fetch --quiet origin\n" + StandInAgents.ImplementsSubtraction);
        await using var services = RunnerFactory.Create(sandbox, agent);

        var result = await services.Orchestrator().RunAsync(RunnerFactory.Task(), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
    }

    [Test]
    public async Task RunAsync_KiroChangesNothing_AgentSucceedsButTheRunFailsForNoChange()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var standIn = Path.Combine(TestContext.CurrentContext.TestDirectory, "StandIn", "kiro-cli");
        var kiro = Path.Combine(sandbox.Root, "bin", "kiro-noop");
        Sandbox.Write(Path.GetDirectoryName(kiro)!, "kiro-noop", $"#!/bin/sh\nKIRO_STANDIN_MODE=noop exec /bin/sh '{standIn}' \"$@\"\n");
        File.SetUnixFileMode(kiro, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var services = RunnerFactory.Create(sandbox, "unused", new Dictionary<string, string?>
        {
            ["NecroCode:Agent:Kind"] = "kiro",
            ["NecroCode:Kiro:Command"] = kiro,
        });

        var result = await services.Orchestrator().RunAsync(RunnerFactory.Task(), CancellationToken.None);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        Assert.Multiple(() =>
        {
            Assert.That(result.Implementations.Single().Succeeded, Is.True);
            Assert.That(result.Implementations.Single().ExitCode, Is.Zero);
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.AgentFailed));
            Assert.That(result.Error!.Message, Does.Contain("'kiro' finished without changing anything"));
            Assert.That(branches, Is.Empty);
        });
    }
}
