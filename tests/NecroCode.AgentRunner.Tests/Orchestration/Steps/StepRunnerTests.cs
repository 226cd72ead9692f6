using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed partial class StepRunnerTests
{
    private static Task<StepVerdict> Verdict(StepVerdict verdict) => Task.FromResult(verdict);

    [Test]
    public async Task RunAsync_SucceedingBody_RecordsSuccessWithoutError()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "lint", budget, (_, _) => Verdict(StepVerdict.Succeeded));

        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Succeeded));
            Assert.That(context.Failed, Is.False);
            Assert.That(context.Steps.Select(s => (s.Name, s.Outcome, s.Message)), Is.EqualTo(new[] { ("lint", StepOutcome.Succeeded, (string?)null) }));
            Assert.That(events.OfType<StepStarted>().Select(e => e.Step), Is.EqualTo(new[] { "lint" }));
            Assert.That(events.OfType<StepFinished>().Select(e => (e.Step, e.Outcome)), Is.EqualTo(new[] { ("lint", StepOutcome.Succeeded) }));
        });
    }

    [Test]
    public async Task RunAsync_FailingVerdict_RecordedOnceAsErrorResultEventAndJournalStep()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "lint", budget, (_, _) => Verdict(StepVerdict.Fail(RunOutcome.StepFailed, "lint", "lint found 3 problems.")));

        var events = await h.EventsAsync(context);
        var journal = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.StepFailed));
            Assert.That(context.Error, Is.EqualTo(new RunError("lint", "lint found 3 problems.")));
            Assert.That(context.Steps.Select(s => (s.Name, s.Outcome, s.Message)), Is.EqualTo(new[] { ("lint", StepOutcome.Failed, "lint found 3 problems.") }));
            Assert.That(events.OfType<StepFinished>().Select(e => (e.Step, e.Outcome, e.Message)), Is.EqualTo(new[] { ("lint", StepOutcome.Failed, "lint found 3 problems.") }));
            Assert.That(journal!.CompletedSteps, Is.EqualTo(new[] { new JournalStep("lint", StepOutcome.Failed, 0) }));
        });
    }

    [Test]
    public async Task RunAsync_FailingVerdictWithSecret_RecordedMasked()
    {
        using var h = new StepHarness();
        h.Masker.AddSecret("s3cr3t");
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        await h.StepRunner().RunAsync(context, "lint", budget, (_, _) => Verdict(StepVerdict.Fail(RunOutcome.StepFailed, "lint", "token s3cr3t leaked")));

        Assert.Multiple(() =>
        {
            Assert.That(context.Error!.Message, Is.EqualTo("token *** leaked"));
            Assert.That(context.Steps.Single().Message, Is.EqualTo("token *** leaked"));
        });
    }

    [Test]
    public async Task RunAsync_FailingVerdictUnderContinueOnError_RecordsWarningNotFailure()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        context.ContinueOnError = true;
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "lint", budget, (_, _) => Verdict(StepVerdict.Fail(RunOutcome.StepFailed, "lint", "lint found 3 problems.")));

        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.Failed, Is.False);
            Assert.That(context.Error, Is.Null);
            Assert.That(events.OfType<RunWarning>().Select(w => (w.Step, w.Message)), Is.EqualTo(new[] { ("lint", "Step lint failed and may continue on error: lint found 3 problems.") }));
            Assert.That(context.Steps.Single().Outcome, Is.EqualTo(StepOutcome.Failed));
        });
    }

    [Test]
    public async Task RunAsync_AlwaysFailingVerdictUnderContinueOnError_FailsTheRun()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        context.ContinueOnError = true;
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        await h.StepRunner().RunAsync(context, "commit", budget, (_, _) => Verdict(StepVerdict.Fail(RunOutcome.Refused, "commit", "Step commit refused.", always: true)));

        Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.Refused));
    }

    [Test]
    public async Task RunAsync_TimedOutVerdict_StepTimedOut()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "implement", budget, (_, _) => Verdict(StepVerdict.Fail(RunOutcome.TimedOut, "implement", "The agent ran past its timeout.")));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.TimedOut));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.TimedOut));
        });
    }

    [Test]
    public async Task RunAsync_GuardRefuses_RunAsyncNotCalledAndGuardVerdictRecorded()
    {
        using var h = new StepHarness();
        var context = h.Context();
        var step = new ScriptedStep { Guard = _ => StepVerdict.MissingPrerequisite("scripted", "register") };
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, step, "scripted", budget);

        Assert.Multiple(() =>
        {
            Assert.That(step.Runs, Is.Zero);
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.Error, Is.EqualTo(new RunError("scripted", "Step scripted needs step register to have run first in this run, and it has not.")));
        });
    }

    [Test]
    public async Task RunAsync_ResumeRuleSkips_RunAsyncNotCalledAndStepSkipped()
    {
        using var h = new StepHarness();
        var context = h.Context();
        var step = new ScriptedStep { ResumeRule = _ => StepVerdict.Skipped };
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, step, "scripted", budget);

        Assert.Multiple(() =>
        {
            Assert.That(step.Runs, Is.Zero);
            Assert.That(outcome, Is.EqualTo(StepOutcome.Skipped));
            Assert.That(context.Failed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_GuardRefusesAndResumeRuleWouldSkip_GuardWins()
    {
        using var h = new StepHarness();
        var context = h.Context();
        var resumeAsked = false;
        var step = new ScriptedStep
        {
            Guard = _ => StepVerdict.Fail(RunOutcome.Refused, "scripted", "Not tested.", always: true),
            ResumeRule = _ =>
            {
                resumeAsked = true;
                return StepVerdict.Skipped;
            },
        };
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, step, "scripted", budget);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(resumeAsked, Is.False);
            Assert.That(step.Runs, Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_NeitherGuardNorResumeRuleApplies_RunsTheStepOnce()
    {
        using var h = new StepHarness();
        var context = h.Context();
        var step = new ScriptedStep();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, step, "scripted", budget);

        Assert.Multiple(() =>
        {
            Assert.That(step.Runs, Is.EqualTo(1));
            Assert.That(outcome, Is.EqualTo(StepOutcome.Succeeded));
        });
    }

    /// <summary>A built-in step whose guard, resume rule and work the test decides.</summary>
    private sealed class ScriptedStep : IRunStep
    {
        public Func<RunContext, StepVerdict?> Guard { get; init; } = _ => null;

        public Func<RunContext, StepVerdict?> ResumeRule { get; init; } = _ => null;

        public int Runs { get; private set; }

        public string Name => "scripted";

        public StepVerdict? Check(RunContext context) => Guard(context);

        public StepVerdict? Resume(RunContext context) => ResumeRule(context);

        public Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
        {
            Runs++;
            return Task.FromResult(StepVerdict.Succeeded);
        }
    }
}
