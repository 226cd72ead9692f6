using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration;

/// <summary>What a playbook cannot get round: untested commits and pushes, step prerequisites, per-attempt timeouts.</summary>
public sealed partial class RunnerOrchestratorPlaybookTests
{
    [Test]
    public void RunAsync_TestStepMayContinueOnError_RefusedBeforeTouchingAnything()
    {
        using var h = new OrchestratorHarness(tests: new FakeTestRunner(TestOutcome.Failed));
        var path = Write(h, "lenient.yaml", """
            name: lenient
            extends: default
            steps:
              - uses: test
                continue-on-error: true
            """);

        var ex = Assert.ThrowsAsync<PlaybookException>(() => h.Create().RunAsync(OrchestratorHarness.Task() with { PlaybookPath = path }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors.Single().Message, Does.Contain("cannot continue on error"));
            Assert.That((ex.Errors[0].Line, ex.Errors[0].Column), Is.EqualTo((4, 5)));
            Assert.That(h.Registry.RegisteredEver, Is.Empty);
            Assert.That(h.Workspace.Pushes, Is.Empty);
        });
    }

    [Test]
    public void RunAsync_ReplacePlaybookWithoutTestStep_RefusedBeforeTouchingAnything()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "untested.yaml", """
            name: untested
            steps:
              - uses: register
              - uses: acquire-slot
              - uses: prepare-workspace
              - uses: implement
              - uses: commit
              - uses: push
            """);

        var ex = Assert.ThrowsAsync<PlaybookException>(() => h.Create().RunAsync(OrchestratorHarness.Task() with { PlaybookPath = path }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors.Single().ToString(), Does.EndWith("untested.yaml(7,5): step 'commit' runs the built-in commit step, which needs a step with 'uses: test' before it."));
            Assert.That(h.Registry.RegisteredEver, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_AlwaysCommitAndPushAfterFailingTests_BothRefusedNothingCommitted()
    {
        using var h = new OrchestratorHarness(tests: new FakeTestRunner(TestOutcome.Failed));
        h.Options.MaxFixAttempts = 0;
        var path = Write(h, "stubborn.yaml", """
            name: stubborn
            extends: default
            steps:
              - uses: commit
                always: true
              - uses: push
                if: always()
            """);

        var (result, events) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.Steps.Single(s => s.Name == "commit").Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(events.OfType<RunWarning>().Where(w => w.Step == "commit").Select(w => w.Message), Has.Some.Contains("Step commit refused: the tests did not pass"));
            Assert.That(result.Steps.Single(s => s.Name == "push").Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(h.Workspace.Commits, Is.Empty);
            Assert.That(h.Workspace.Pushes, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_CommitMayContinueOnErrorAfterFailingTests_StillRefusedAndRunFails()
    {
        using var h = new OrchestratorHarness(tests: new FakeTestRunner(TestOutcome.Failed));
        h.Options.MaxFixAttempts = 0;
        var path = Write(h, "stubborn.yaml", """
            name: stubborn
            extends: default
            steps:
              - uses: commit
                if: always()
                continue-on-error: true
            """);

        var (result, _) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.Not.EqualTo(RunOutcome.Succeeded));
            Assert.That(h.Workspace.Commits, Is.Empty);
            Assert.That(h.Workspace.Pushes, Is.Empty);
        });
    }

    [Test]
    public void RunAsync_StepsOutOfOrder_EveryProblemListedWithItsPlace()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "jumbled.yaml", """
            name: jumbled
            steps:
              - name: early
                run: echo too early
              - uses: register
              - uses: prepare-workspace
              - uses: implement
              - uses: test
                if: task.title != ''
              - uses: release-slot
            """);

        var ex = Assert.ThrowsAsync<PlaybookException>(() => h.Create().RunAsync(OrchestratorHarness.Task() with { PlaybookPath = path }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3, 5), (6, 5), (8, 5) }));
            Assert.That(ex.Errors[0].Message, Does.Contain("'early'").And.Contain("uses: prepare-workspace"));
            Assert.That(ex.Errors[1].Message, Does.Contain("prepare-workspace").And.Contain("uses: acquire-slot"));
            Assert.That(ex.Errors[2].Message, Does.Contain("cannot have an 'if'"));
            Assert.That(h.Registry.RegisteredEver, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_PrerequisiteSkippedByItsCondition_ClearFailureAndSlotReleased()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "skipped.yaml", """
            name: skipped
            extends: default
            steps:
              - uses: prepare-workspace
                if: task.metadata.prepare == 'yes'
            """);

        var (result, _) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.StepFailed));
            Assert.That(result.Error!.Step, Is.EqualTo("implement"));
            Assert.That(result.Error.Message, Does.Contain("needs step prepare-workspace"));
            Assert.That(result.Error.ExceptionType, Is.Null);
            Assert.That(h.Slots.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_CommandStepTimesOutThenRetries_SecondAttemptRunsAndSucceeds()
    {
        using var h = new OrchestratorHarness();
        var marker = Path.Combine(h.Root, "first-attempt-done");
        var path = Write(h, "flaky.yaml", $"""
            name: flaky
            extends: default
            steps:
              - name: flaky
                after: implement
                run: 'if [ -e "{marker}" ]; then echo second attempt; else touch "{marker}"; exec sleep 300; fi'
                timeout: 1s
                retry:
                  count: 2
                  backoff: 0s
            """);

        var (result, events) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.Steps.Single(s => s.Name == "flaky").Outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That(events.OfType<RetryScheduled>().Count(r => r.Step == "flaky"), Is.EqualTo(1));
            Assert.That(events.OfType<OutputLine>().Select(l => l.Text), Does.Contain("second attempt"));
            Assert.That(h.Workspace.Pushes, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_NoTestCommandAndNoneDetected_FailsOnceNamingTestCommandsWithoutFixLoop()
    {
        using var h = new OrchestratorHarness();
        h.Tests = new ProcessTestRunner(h.Processes, Options.Create(new TestRunnerOptions()), TimeProvider.System, NullLogger<ProcessTestRunner>.Instance);
        h.Options.MaxFixAttempts = 2;

        var (result, events) = await RunAsync(h, OrchestratorHarness.Task() with { TestCommands = [] });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.Error!.Message, Does.Contain("none was detected").And.Contain("testCommands"));
            Assert.That(result.Error.Message, Does.Not.Contain("''").And.Not.Contain("exit code none"));
            Assert.That(result.Implementations, Has.Count.EqualTo(1));
            Assert.That(result.Steps.Select(s => s.Name), Has.None.StartsWith("fix-"));
            Assert.That(events.OfType<RunWarning>().Select(w => w.Message), Has.None.Contains("asking the agent for a fix"));
            Assert.That(h.Workspace.Commits, Is.Empty);
        });
    }
}
