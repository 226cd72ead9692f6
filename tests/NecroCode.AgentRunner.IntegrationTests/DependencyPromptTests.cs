using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>What the prompt says of a task's dependencies (R3.1) when the task names them only by id.</summary>
[TestFixture]
[Category("Integration")]
public sealed class DependencyPromptTests
{
    [Test]
    public async Task RunAsync_DependencyNamedOnlyById_PromptGivesItsBranchAndCommitFromTheRegistry()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var prompt = Path.Combine(sandbox.Probe, "prompt.md");
        var agent = sandbox.Agent("agent", $"""
            cat > "{prompt}"
            echo "# touched by $NECROCODE_TASK_ID" >> README.md
            """);
        await using var services = RunnerFactory.Create(sandbox, agent);
        var first = await services.Orchestrator().RunAsync(RunnerFactory.Task("1"), CancellationToken.None);
        Assert.That(first.Outcome, Is.EqualTo(RunOutcome.Succeeded), first.Error?.Message);
        var second = RunnerFactory.Task("2") with { Dependencies = [new TaskDependency("1", "Add subtraction")] };

        var result = await services.Orchestrator().RunAsync(second, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(File.ReadAllText(prompt), Does.Contain($"- Task 1: Add subtraction (branch feature/task-calc-1, commit {first.CommitId})"));
        });
    }
}
