using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>Slots an earlier run left in a bad state, run through the host: recovered, quarantined or refused with one line.</summary>
public sealed partial class CliTests
{
    [Test]
    public async Task Run_SlotWithAPlantedPushUrl_BranchLandsOnOriginAndNothingOnTheDecoy()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var decoy = Path.Combine(sandbox.Root, "decoy.git");
        await Shell.GitAsync(sandbox.Root, "init", "--quiet", "--bare", decoy);
        await Shell.GitAsync(sandbox.Slot(), "config", "remote.origin.pushurl", decoy);
        await Shell.GitAsync(sandbox.Slot(), "config", $"url.{decoy}.pushInsteadOf", sandbox.Origin);
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, .. RunArguments(sandbox, agent)]);

        var onOrigin = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        var onDecoy = await Shell.GitAsync(decoy, "for-each-ref");
        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(onOrigin, Does.Contain("feature/task-calc-1"));
            Assert.That(onDecoy, Is.Empty);
            Assert.That(output.StandardOutput + output.StandardError, Does.Contain("remote.origin.pushurl"));
        });
    }

    [TestCase("--skip-worktree")]
    [TestCase("--assume-unchanged")]
    public async Task Run_SlotWithAnIndexFlagOnTheFileTheAgentEdits_TheEditIsCommittedAndPushed(string flag)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        await Shell.GitAsync(sandbox.Slot(), "update-index", flag, "calc.sh");
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Outcome   Succeeded"));
        });
        var changed = await Shell.GitAsync(sandbox.Origin, "diff", "--name-only", "main", "feature/task-calc-1");
        Assert.Multiple(() =>
        {
            Assert.That(changed, Does.Contain("calc.sh"));
        });
    }

    [Test]
    public async Task Run_OriginWhoseMainBranchIsTrunk_OneLineNamingItsBranchesAndTheSlotIsKept()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        await Shell.GitAsync(sandbox.Origin, "branch", "-m", "main", "trunk");
        Directory.Delete(sandbox.Slot(), recursive: true);
        await Shell.GitAsync(sandbox.Root, "clone", "--quiet", sandbox.Origin, sandbox.Slot());
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", .. RunArguments(sandbox, agent)]);
        var again = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", "--main-branch", "trunk", .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("has no branch 'main'").And.Contain("its branches: trunk (default: trunk)").And.Contain("--main-branch trunk"));
            Assert.That(output.StandardOutput + output.StandardError, Does.Not.Contain("   at ").And.Not.Contain("QUARANTINED"));
            Assert.That(Directory.Exists(Path.Combine(sandbox.SlotsPath, ".quarantine", "slot-1")), Is.False);
            Assert.That(again.ExitCode, Is.Zero, again.StandardOutput + again.StandardError);
        });
    }

    [TestCase("empty")]
    [TestCase("not-git")]
    public async Task Run_BrokenSlotFolder_QuarantinedWithOneLineSayingWhy(string kind)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        Directory.Delete(sandbox.Slot(), recursive: true);
        Directory.CreateDirectory(sandbox.Slot());
        if (kind == "not-git")
        {
            Sandbox.Write(sandbox.Slot(), "notes.txt", "not a clone\n");
        }

        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("slot-1 QUARANTINED").And.Contain("is not a git repository"));
            Assert.That(output.StandardOutput + output.StandardError, Does.Not.Contain("   at "));
            Assert.That(File.Exists(Path.Combine(sandbox.SlotsPath, ".quarantine", "slot-1.reason.json")), Is.True);
        });
    }

    [Test]
    public async Task Run_OriginDeleted_OneLineNamingItAndTheSlotIsKept()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        Directory.Delete(sandbox.Origin, recursive: true);
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, "--quiet", .. RunArguments(sandbox, agent)]);

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.EqualTo(3), output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain($"'{sandbox.Origin}' does not appear to be a git repository"));
            Assert.That(output.StandardOutput + output.StandardError, Does.Not.Contain("   at ").And.Not.Contain("QUARANTINED"));
            Assert.That(Directory.Exists(sandbox.Slot()), Is.True);
        });
    }

    [Test]
    public async Task Run_PoolWithNoSlotsButASizeAndAnOrigin_AddsASlotFromTheOriginAndSucceeds()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = sandbox.Agent("agent", StandInAgents.ImplementsSubtraction);
        var emptyPool = Path.Combine(sandbox.Root, "fresh-slots");
        var task = await WriteTaskAsync(sandbox, "task.json", RunnerFactory.Task("1"));

        var output = await CliHost.RunAsync(sandbox.Root, null, ["run", "--task", task, .. RunArguments(sandbox, agent,
            "--set", $"NecroCode:FileSystem:SlotsPath={emptyPool}", "--set", "NecroCode:FileSystem:PoolSize=1", "--set", $"NecroCode:Git:Origin={sandbox.Origin}")]);

        Assert.Multiple(async () =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*"), Does.Contain("feature/task-calc-1"));
            Assert.That(Directory.EnumerateDirectories(emptyPool).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')), Is.EqualTo(new[] { "slot-1" }));
            Assert.That(await Shell.GitAsync(Path.Combine(emptyPool, "slot-1"), "remote", "get-url", "origin"), Is.EqualTo(sandbox.Origin));
        });
    }
}
