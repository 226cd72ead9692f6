using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class StepRunnerTests
{
    private static Task<StepVerdict> Verdict(StepVerdict verdict) => Task.FromResult(verdict);

    private static Func<RunContext, CancellationToken, Task<StepVerdict>> Throwing(Exception exception) => (_, _) => throw exception;

    /// <summary>Waits until the step's budget stops it.</summary>
    private static async Task<StepVerdict> UntilStoppedAsync(CancellationToken token)
    {
        await Task.Delay(Timeout.Infinite, token);
        return StepVerdict.Succeeded;
    }

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

    private static IEnumerable<TestCaseData> MappedExceptions()
    {
        yield return new TestCaseData(new TaskValidationException([new TaskValidationError("title", "is empty.")]), RunOutcome.InvalidTask).SetArgDisplayNames(nameof(TaskValidationException), nameof(RunOutcome.InvalidTask));
        yield return new TestCaseData(new TaskConflictException("Task demo/1.1 is already being run by runner r-2.", "r-2"), RunOutcome.Conflict).SetArgDisplayNames(nameof(TaskConflictException), nameof(RunOutcome.Conflict));
        yield return new TestCaseData(new PushRefusedException("refs/heads/main", "protected branch"), RunOutcome.Refused).SetArgDisplayNames(nameof(PushRefusedException), nameof(RunOutcome.Refused));
    }

    [TestCaseSource(nameof(MappedExceptions))]
    public async Task RunAsync_TaskExceptionEscapes_MapsToItsOutcomeWithItsMessage(Exception exception, RunOutcome expected)
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "push", budget, Throwing(exception));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.FailureOutcome, Is.EqualTo(expected));
            Assert.That(context.Error, Is.EqualTo(new RunError("push", exception.Message, exception.GetType().FullName)));
            Assert.That(context.Steps.Single().Message, Is.EqualTo(exception.Message));
        });
    }

    [Test]
    public async Task RunAsync_OtherAgentRunnerExceptionEscapes_InfrastructureErrorNamingTheStep()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        await h.StepRunner().RunAsync(context, "acquire-slot", budget, Throwing(new SlotUnavailableException("No free slot in the pool.")));

        Assert.Multiple(() =>
        {
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.InfrastructureError));
            Assert.That(context.Error, Is.EqualTo(new RunError("acquire-slot", "acquire-slot failed: No free slot in the pool.", typeof(SlotUnavailableException).FullName)));
            Assert.That(context.Steps.Single().Message, Is.EqualTo("acquire-slot failed: No free slot in the pool."));
        });
    }

    [Test]
    public async Task RunAsync_UnexpectedExceptionEscapes_InfrastructureErrorNamingTheStep()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "report", budget, Throwing(new InvalidOperationException("boom")));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.InfrastructureError));
            Assert.That(context.Error, Is.EqualTo(new RunError("report", "report failed: boom", typeof(InvalidOperationException).FullName)));
        });
    }

    [Test]
    public async Task RunAsync_ExceptionEscapesUnderContinueOnError_RecordsWarningNotFailure()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        context.ContinueOnError = true;
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "lint", budget, Throwing(new InvalidOperationException("boom")));

        var events = await h.EventsAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.Failed, Is.False);
            Assert.That(events.OfType<RunWarning>().Single().Message, Is.EqualTo("Step lint failed and may continue on error: lint failed: boom"));
        });
    }

    [Test]
    public async Task RunAsync_HostCancelsDuringStep_CancelledNamingTheStep()
    {
        using var h = new StepHarness();
        using var host = new CancellationTokenSource();
        var context = h.Context(host: host.Token);
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "implement", budget, (_, token) =>
        {
            host.Cancel();
            return UntilStoppedAsync(token);
        });

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Cancelled));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.Cancelled));
            Assert.That(context.Error!.Message, Is.EqualTo("The run was cancelled during step implement."));
            Assert.That(context.Steps.Single().Message, Is.EqualTo("The run was cancelled during step implement."));
        });
    }

    [Test]
    public async Task RunAsync_TaskTimeoutPassesDuringStep_TimedOutWithTheTaskTimeout()
    {
        var time = new FakeTimeProvider();
        using var h = new StepHarness(time);
        var context = h.Context(StepHarness.NewTask() with { Timeout = TimeSpan.FromMinutes(5) });
        using var budget = context.Budget!.ForStep(always: false, limit: null);

        var outcome = await h.StepRunner().RunAsync(context, "test", budget, (_, token) =>
        {
            time.Advance(TimeSpan.FromMinutes(6));
            return UntilStoppedAsync(token);
        });

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.TimedOut));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.TimedOut));
            Assert.That(context.Error!.Message, Is.EqualTo("The task ran past its timeout of 00:05:00 during step test."));
        });
    }

    [Test]
    public async Task RunAsync_StepRunsPastItsOwnLimit_TimedOutWithTheStepLimit()
    {
        using var h = new StepHarness();
        var context = h.Context();
        using var budget = context.Budget!.ForStep(always: false, limit: TimeSpan.FromMilliseconds(50));

        var outcome = await h.StepRunner().RunAsync(context, "test", budget, (_, token) => UntilStoppedAsync(token));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.TimedOut));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.TimedOut));
            Assert.That(context.Error!.Message, Is.EqualTo("Step test ran past its timeout of 00:00:00.0500000."));
        });
    }

    [Test]
    public async Task RunAsync_BudgetSpentBeforeTheStep_BodyNotRunAndCancelled()
    {
        using var h = new StepHarness();
        using var host = new CancellationTokenSource();
        var context = h.Context(host: host.Token);
        using var budget = context.Budget!.ForStep(always: false, limit: null);
        await host.CancelAsync();
        var ran = false;

        var outcome = await h.StepRunner().RunAsync(context, "push", budget, (_, _) =>
        {
            ran = true;
            return Verdict(StepVerdict.Succeeded);
        });

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.False);
            Assert.That(outcome, Is.EqualTo(StepOutcome.Cancelled));
            Assert.That(context.Error!.Message, Is.EqualTo("The run was cancelled during step push."));
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
