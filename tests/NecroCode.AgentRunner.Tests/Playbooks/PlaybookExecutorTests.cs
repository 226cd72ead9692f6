using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
public sealed partial class PlaybookExecutorTests
{
    private static ConditionContext Context(IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, string>? variables = null) =>
        new(new TaskContext { TaskId = "1", SpecName = "s", Title = "t", Metadata = metadata ?? new Dictionary<string, string>() }, variables ?? new Dictionary<string, string>());

    private static async Task<(List<string> Ran, List<string> Skipped)> RunAsync(string yaml, ConditionContext context, params string[] failing)
    {
        var playbook = PlaybookLoader.Parse(yaml, "exec.yaml");
        var ran = new List<string>();
        var skipped = new List<string>();
        await PlaybookExecutor.RunAsync(
            playbook,
            context,
            (step, _) =>
            {
                ran.Add(step.Name);
                return Task.FromResult(failing.Contains(step.Name) ? StepOutcome.Failed : StepOutcome.Succeeded);
            },
            (step, _, reason) => skipped.Add($"{step.Name}: {reason}"),
            CancellationToken.None);
        return (ran, skipped);
    }

    [Test]
    public async Task RunAsync_Default_RunsEveryStepInOrder()
    {
        var ran = new List<string>();

        await PlaybookExecutor.RunAsync(Playbook.Default, Context(), (s, _) => { ran.Add(s.Name); return Task.FromResult(StepOutcome.Succeeded); }, null, CancellationToken.None);

        Assert.That(ran, Is.EqualTo(PlaybookBuiltInSteps.All));
    }

    [Test]
    public async Task RunAsync_DefaultAfterAFailure_RunsOnlyTheAlwaysSteps()
    {
        var (ran, skipped) = await RunAsync("extends: default\n", Context(), "implement");

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "upload-artifacts", "report", "release-slot" }));
            Assert.That(skipped, Is.EqualTo(new[] { "test: an earlier step failed.", "commit: an earlier step failed.", "push: an earlier step failed." }));
        });
    }

    [Test]
    public async Task RunAsync_FalseConditionWithElse_RunsTheElseSteps()
    {
        const string yaml = "steps:\n  - name: a\n    run: x\n    if: task.metadata.lang == 'cs'\n    else:\n      - name: b\n        run: y\n  - name: c\n    run: z\n    if: steps.a.outcome == 'skipped' && steps.b.outcome == 'succeeded'\n";

        var (ran, skipped) = await RunAsync(yaml, Context());

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "b", "c" }));
            Assert.That(skipped, Is.EqualTo(new[] { "a: its condition 'task.metadata.lang == 'cs'' is false; running its else steps." }));
        });
    }

    [Test]
    public async Task RunAsync_ContinueOnError_KeepsTheRunGoing()
    {
        const string yaml = "steps:\n  - name: lint\n    run: x\n    continue-on-error: true\n  - name: after\n    run: y\n    if: steps.lint.outcome == 'failed' && success()\n";
        var context = Context();

        var (ran, _) = await RunAsync(yaml, context, "lint");

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "lint", "after" }));
            Assert.That(context.HasFailed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_FailureCondition_RunsOnlyAfterAFailure()
    {
        const string yaml = "steps:\n  - name: a\n    run: x\n  - name: notes\n    run: y\n    if: failure()\n  - name: plain\n    run: z\n";

        var ok = await RunAsync(yaml, Context());
        var failed = await RunAsync(yaml, Context(), "a");

        Assert.Multiple(() =>
        {
            Assert.That(ok.Ran, Is.EqualTo(new[] { "a", "plain" }));
            Assert.That(failed.Ran, Is.EqualTo(new[] { "a", "notes" }));
            Assert.That(failed.Skipped, Is.EqualTo(new[] { "plain: an earlier step failed." }));
        });
    }

    [Test]
    public async Task RunAsync_Cancelled_SkipsTheRestButTheAlwaysSteps()
    {
        using var cts = new CancellationTokenSource();
        var context = Context();
        var ran = new List<string>();
        var skipped = new List<string>();

        await PlaybookExecutor.RunAsync(
            Playbook.Default,
            context,
            (s, _) =>
            {
                ran.Add(s.Name);
                cts.Cancel();
                return Task.FromResult(StepOutcome.Succeeded);
            },
            (s, _, reason) => skipped.Add($"{s.Name}: {reason}"),
            cts.Token);

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "upload-artifacts", "report", "release-slot" }));
            Assert.That(skipped, Has.Count.EqualTo(6).And.All.EndsWith(": the run was cancelled."));
            Assert.That(context.HasFailed, Is.True);
        });
    }

    [Test]
    public async Task RunAsync_ConditionThatCannotBeEvaluated_FailsTheStepAndTheRunGoesOnToCleanUp()
    {
        const string yaml = "variables:\n  p: ../outside\nsteps:\n  - name: a\n    run: x\n    if: exists(vars.p)\n  - name: b\n    run: y\n  - uses: release-slot\n";
        var playbook = PlaybookLoader.Parse(yaml, "exec.yaml");
        var context = new ConditionContext(new TaskContext { TaskId = "1", SpecName = "s", Title = "t" }, playbook.Variables) { WorkspacePath = Path.GetTempPath() };
        var ran = new List<string>();
        var notRun = new List<(string, StepOutcome, string)>();

        await PlaybookExecutor.RunAsync(playbook, context, (s, _) => { ran.Add(s.Name); return Task.FromResult(StepOutcome.Succeeded); }, (s, o, r) => notRun.Add((s.Name, o, r)), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "release-slot" }));
            Assert.That(notRun[0], Is.EqualTo(("a", StepOutcome.Failed, "exec.yaml(6,9): condition 'exists(vars.p)' cannot be evaluated: exists('../outside'): '../outside' leads outside the workspace.")));
            Assert.That(notRun[1], Is.EqualTo(("b", StepOutcome.Skipped, "an earlier step failed.")));
            Assert.That(context.GetStepOutcome("a"), Is.EqualTo(StepOutcome.Failed));
        });
    }
}
