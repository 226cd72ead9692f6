using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// R8.1: a run fails at one step after another, leaving the slot as such a failure leaves it; the next task on
/// the same slot (the sandbox has one) then succeeds with exactly its own change on a branch from origin/main.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SlotReuseTests
{
    /// <summary>Leftovers every failing agent leaves: a half-done merge on a branch of its own, dirty, untracked and ignored files.</summary>
    private const string LeavesAMess = """
        cat > /dev/null
        git -c user.name=Agent -c user.email=agent@example.com checkout -q -b agent-side
        echo "agent side" > README.md
        git -c user.name=Agent -c user.email=agent@example.com commit -q -am "agent side"
        git checkout -q -
        echo "task side" > README.md
        git -c user.name=Agent -c user.email=agent@example.com commit -q -am "task side"
        git -c user.name=Agent -c user.email=agent@example.com merge agent-side > /dev/null 2>&1
        echo "half-edited" > calc.sh
        mkdir -p scratch && echo notes > scratch/notes.txt
        """;

    [TestCase("prepare", RunOutcome.InfrastructureError)]
    [TestCase("implement", RunOutcome.AgentFailed)]
    [TestCase("test", RunOutcome.TestsFailed)]
    [TestCase("commit", RunOutcome.InfrastructureError)]
    [TestCase("push", RunOutcome.Refused)]
    public async Task RunAsync_PreviousRunOnTheSlotFailedAtStep_NextTaskPushesOnlyItsOwnChange(string step, RunOutcome firstOutcome)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var other = Path.Combine(sandbox.Root, "other.git");
        await Shell.GitAsync(sandbox.Root, "init", "--quiet", "--bare", other);
        var failing = step switch
        {
            "prepare" => StandInAgents.ImplementsSubtraction,
            "implement" => LeavesAMess + "\nexit 7",
            "test" => LeavesAMess + "\n" + StandInAgents.BreaksTheTests.Replace("cat > /dev/null", "", StringComparison.Ordinal),
            "commit" => StandInAgents.ImplementsSubtraction + "\n: > .git/index.lock",
            "push" => StandInAgents.ImplementsSubtraction + $"\ngit config remote.origin.pushurl '{other}'",
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "unknown step"),
        };
        var settings = new Dictionary<string, string?> { ["NecroCode:Runner:MaxFixAttempts"] = "0" };
        var hidden = sandbox.Origin + ".hidden";
        if (step == "prepare")
        {
            Sandbox.Write(sandbox.Slot(), "README.md", "edited by an earlier run\n");
            Directory.Move(sandbox.Origin, hidden);
        }

        RunnerResult first;
        await using (var services = RunnerFactory.Create(sandbox, sandbox.Agent("failing", failing), settings))
        {
            first = await services.Orchestrator().RunAsync(RunnerFactory.Task("1"), CancellationToken.None);
        }

        if (step == "prepare")
        {
            Directory.Move(hidden, sandbox.Origin);
        }

        RunnerResult second;
        await using (var services = RunnerFactory.Create(sandbox, sandbox.Agent("agent", StandInAgents.ImplementsSubtraction), settings))
        {
            second = await services.Orchestrator().RunAsync(RunnerFactory.Task("2"), CancellationToken.None);
        }

        const string branch = "feature/task-calc-2";
        var main = await Shell.GitAsync(sandbox.Origin, "rev-parse", "main");
        Assert.Multiple(async () =>
        {
            Assert.That(first.Outcome, Is.EqualTo(firstOutcome), first.Error?.Message);
            Assert.That(second.Outcome, Is.EqualTo(RunOutcome.Succeeded), second.Error?.Message);
            Assert.That(await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/task-calc-1"), Is.Empty);
            Assert.That(await Shell.GitAsync(sandbox.Origin, "rev-parse", $"{branch}^"), Is.EqualTo(main));
            Assert.That(await Shell.GitAsync(sandbox.Origin, "rev-parse", branch), Is.EqualTo(second.CommitId));
            Assert.That((await Shell.GitAsync(sandbox.Origin, "diff", "--name-status", "main", branch)).Split('\n'), Is.EqualTo(new[] { "M\tcalc.sh", "A\ttests/sub.sh" }));
            Assert.That(await Shell.GitAsync(other, "for-each-ref"), Is.Empty);
            Assert.That(await Shell.GitAsync(sandbox.Slot(), "status", "--porcelain", "--untracked-files=all"), Is.Empty);
        });
    }
}
