using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration;

/// <summary>The orchestrator following playbooks (R13): the default one, extensions, conditions and bad input.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class RunnerOrchestratorPlaybookTests
{
    private const string SpelledOutDefault = """
        name: spelled-out
        steps:
          - uses: register
          - uses: acquire-slot
          - uses: prepare-workspace
          - uses: implement
          - uses: test
          - uses: commit
          - uses: push
          - uses: upload-artifacts
            always: true
          - uses: report
            always: true
          - uses: release-slot
            always: true
        """;

    private static async Task<(RunnerResult Result, List<RunEvent> Events)> RunAsync(OrchestratorHarness h, TaskContext task)
    {
        var run = await h.Create().StartAsync(task, CancellationToken.None);
        var events = new List<RunEvent>();
        await foreach (var e in run.Events)
        {
            events.Add(e);
        }

        return (await run.Completion, events);
    }

    private static string Write(OrchestratorHarness h, string name, string yaml)
    {
        var path = Path.Combine(h.Root, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static IEnumerable<string> Shape(IEnumerable<RunEvent> events) =>
        events.Select(e => e switch
        {
            StepStarted s => "start " + s.Step,
            StepFinished f => $"finish {f.Step} {f.Outcome}",
            _ => e.GetType().Name,
        });

    [Test]
    public async Task RunAsync_DefaultSpelledOutAsYaml_SameEventsAsBuiltInPipeline()
    {
        using var builtIn = new OrchestratorHarness();
        using var custom = new OrchestratorHarness();
        var path = Write(custom, "default.yaml", SpelledOutDefault);

        var (expected, expectedEvents) = await RunAsync(builtIn, OrchestratorHarness.Task());
        var (actual, actualEvents) = await RunAsync(custom, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(actual.Outcome, Is.EqualTo(expected.Outcome));
            Assert.That(actual.Playbook, Is.EqualTo("spelled-out"));
            Assert.That(expected.Playbook, Is.EqualTo(Playbook.Default.Name));
            Assert.That(Shape(actualEvents), Is.EqualTo(Shape(expectedEvents)));
        });
    }

    [Test]
    public async Task RunAsync_FailingCustomStepBeforeTest_StepFailedAndNothingCommitted()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "lint.yaml", """
            name: lint-first
            extends: default
            steps:
              - name: lint
                before: test
                run: 'echo "lint: 3 problems" && exit 3'
            """);

        var (result, events) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.StepFailed));
            Assert.That(result.Error!.Step, Is.EqualTo("lint"));
            Assert.That(events.OfType<OutputLine>().Select(l => l.Text), Does.Contain("lint: 3 problems"));
            Assert.That(h.Workspace.Commits, Is.Empty);
            Assert.That(h.Slots.Held, Is.Empty);
            Assert.That(result.Steps.Single(s => s.Name == "test").Outcome, Is.EqualTo(StepOutcome.Skipped));
        });
    }

    [Test]
    public async Task RunAsync_ContinueOnErrorStepFails_RunStillSucceedsWithWarning()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "format.yaml", """
            name: format-check
            extends: default
            steps:
              - name: format
                after: implement
                run: exit 1
                continue-on-error: true
            """);

        var (result, events) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.Steps.Single(s => s.Name == "format").Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(events.OfType<RunWarning>().Any(w => w.Step == "format"), Is.True);
            Assert.That(h.Workspace.Pushes, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_DryRunConditionOnPush_PushSkippedRunSucceeds()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "dry.yaml", """
            name: dry-run
            extends: default
            steps:
              - uses: push
                if: task.metadata.dryRun != 'true'
            """);
        var task = OrchestratorHarness.Task() with { PlaybookPath = path, Metadata = new Dictionary<string, string> { ["dryRun"] = "true" } };

        var (result, _) = await RunAsync(h, task);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded));
            Assert.That(result.Steps.Single(s => s.Name == "push").Outcome, Is.EqualTo(StepOutcome.Skipped));
            Assert.That(h.Workspace.Commits, Has.Count.EqualTo(1));
            Assert.That(h.Workspace.Pushes, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_CustomStepTimesOut_RunTimedOutAndTreeStopped()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "slow.yaml", """
            name: slow
            extends: default
            steps:
              - name: slow
                after: implement
                run: sleep 300
                timeout: 1s
            """);

        var (result, _) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
            Assert.That(result.Steps.Single(s => s.Name == "slow").Outcome, Is.EqualTo(StepOutcome.TimedOut));
            Assert.That(h.Slots.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_PlaybookWithoutClosingSteps_TaskStillReportedAndSlotReleased()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "short.yaml", """
            name: short
            steps:
              - uses: register
              - uses: acquire-slot
              - uses: prepare-workspace
            """);

        var (result, _) = await RunAsync(h, OrchestratorHarness.Task() with { PlaybookPath = path });

        var record = await h.Registry.GetTaskAsync(TaskKey.Of(OrchestratorHarness.Task()), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded));
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(h.Slots.Held, Is.Empty);
            Assert.That(h.Registry.GetRunnersAsync(CancellationToken.None).Result, Is.Empty);
        });
    }

    [Test]
    public void RunAsync_InvalidPlaybook_ThrowsBeforeTouchingAnything()
    {
        using var h = new OrchestratorHarness();
        var path = Write(h, "bad.yaml", """
            name: bad
            steps:
              - uses: teleport
              - name: x
                run: true
                if: task.title ==
            """);

        var ex = Assert.ThrowsAsync<PlaybookException>(() => h.Create().RunAsync(OrchestratorHarness.Task() with { PlaybookPath = path }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(ex.Message, Does.Contain("teleport"));
            Assert.That(h.Registry.RegisteredEver, Is.Empty);
        });
    }
}
