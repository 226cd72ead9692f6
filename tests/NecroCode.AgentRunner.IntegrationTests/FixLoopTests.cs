using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>The fix loop (R16) end to end: real git, a bare origin, a stand-in agent that reads <c>NECROCODE_ATTEMPT</c>.</summary>
[TestFixture]
[Category("Integration")]
public sealed class FixLoopTests
{
    private const string Branch = "feature/task-calc-1";

    /// <summary>Adds a test of subtraction but leaves calc.sh adding (the test fails: "expected 2, got 8").</summary>
    private const string BreaksSubtraction = """
        mkdir -p tests
        printf '#!/bin/sh\ngot=$(sh calc.sh 5 3 -)\n[ "$got" = 2 ] || { echo "expected 2, got $got"; exit 1; }\n' > tests/sub.sh
        """;

    private const string FixesSubtraction = """
        cat > calc.sh <<'SCRIPT'
        #!/bin/sh
        case "${3:-+}" in
          -) echo $(( $1 - $2 ));;
          *) echo $(( $1 + $2 ));;
        esac
        SCRIPT
        """;

    private static string Agent(Sandbox sandbox, string body) => sandbox.Agent("agent", $"""
        cat > "{sandbox.Probe}/prompt-$NECROCODE_ATTEMPT.md"
        echo "agent: attempt $NECROCODE_ATTEMPT"
        {body}
        """);

    [Test]
    public async Task RunAsync_TestsFailThenTheAgentFixesThem_OneCommitPushedAndBothAttemptsRecorded()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var agent = Agent(sandbox, $"""
            {BreaksSubtraction}
            if [ "$NECROCODE_ATTEMPT" = 2 ]; then
            {FixesSubtraction}
            fi
            """);
        await using var services = RunnerFactory.Create(sandbox, agent, new Dictionary<string, string?> { ["NecroCode:Runner:MaxFixAttempts"] = "2" });
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var log = await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main.." + Branch);
        var tip = await Shell.GitAsync(sandbox.Origin, "rev-parse", Branch);
        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var artifacts = record!.Artifacts.ToDictionary(a => a.Name, a => a.Uri!.LocalPath);
        var runLog = File.ReadAllText(artifacts["run-log.jsonl"]);
        var summary = new StringWriter();
        SummaryWriter.Write(summary, result);
        Assert.Multiple(() =>
        {
            Assert.That(log, Is.EqualTo("feat(task-1): Add subtraction"));
            Assert.That(tip, Is.EqualTo(result.CommitId));
            Assert.That(result.PassedOnAttempt, Is.EqualTo(2));
            Assert.That(result.Implementations.Select(i => i.Attempt), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(result.Steps.Select(s => s.Name), Does.Contain("fix-2"));
            Assert.That(runLog, Does.Contain("asking the agent for a fix (attempt 2 of 3)").And.Contain("agent: attempt 2"));
            Assert.That(artifacts.Keys, Is.SupersetOf(new[] { "diff.attempt-1.patch", "test-results.attempt-1.json", "agent-output.attempt-1.log", "agent-output.attempt-2.log", "diff.patch", "test-results.json" }));
            Assert.That(File.ReadAllText(artifacts["test-results.attempt-1.json"]), Does.Contain("expected 2, got 8"));
            Assert.That(File.ReadAllText(artifacts["agent-output.attempt-1.log"]), Is.EqualTo("agent: attempt 1\n"));
            Assert.That(File.ReadAllText(artifacts["agent-output.attempt-2.log"]), Is.EqualTo("agent: attempt 2\n"));
            Assert.That(File.ReadAllText(Path.Combine(sandbox.Probe, "prompt-2.md")), Does.Contain("## Attempt 2: the tests failed").And.Contain("expected 2, got 8"));
            Assert.That(summary.ToString(), Does.Contain("Attempts  2, passed on attempt 2"));
        });
    }

    [Test]
    public async Task RunAsync_TheAgentNeverFixesTheTests_FailedAfterEveryAttemptAndNothingPushed()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await using var services = RunnerFactory.Create(sandbox, Agent(sandbox, BreaksSubtraction), new Dictionary<string, string?> { ["NecroCode:Runner:MaxFixAttempts"] = "2" });
        var task = RunnerFactory.Task();

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var branches = await Shell.GitAsync(sandbox.Origin, "branch", "--list", "feature/*");
        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var summary = new StringWriter();
        SummaryWriter.Write(summary, result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(result.Error!.Message, Does.Contain("after 3 attempts"));
            Assert.That(result.PassedOnAttempt, Is.Null);
            Assert.That(result.Implementations.Select(i => i.Attempt), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(result.Push, Is.Null);
            Assert.That(branches, Is.Empty);
            Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
            Assert.That(record.Artifacts.Select(a => a.Name), Is.SupersetOf(new[]
            {
                "agent-output.attempt-1.log", "agent-output.attempt-2.log", "agent-output.attempt-3.log",
                "diff.attempt-1.patch", "diff.attempt-2.patch", "test-results.attempt-1.json", "test-results.attempt-2.json", "test-results.json",
            }));
            Assert.That(summary.ToString(), Does.Contain("Attempts  3, the tests never passed"));
        });
    }
}
