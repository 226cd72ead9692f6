using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

/// <summary>What escapes a step: exceptions and the budget's cancellations, each mapped to the run's outcome.</summary>
public sealed partial class StepRunnerTests
{
    private static Func<RunContext, CancellationToken, Task<StepVerdict>> Throwing(Exception exception) => (_, _) => throw exception;

    /// <summary>Waits until the step's budget stops it.</summary>
    private static async Task<StepVerdict> UntilStoppedAsync(CancellationToken token)
    {
        await Task.Delay(Timeout.Infinite, token);
        return StepVerdict.Succeeded;
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
    public async Task RunAsync_ClaimLostEscapes_ConflictAndTheRunStops()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: null);
        var lost = new ClaimLostException("Runner r-1 may not append an event to task demo/1.1: runner r-2 holds the task.", context.Key, "r-1", "r-2");

        var outcome = await h.StepRunner().RunAsync(context, "upload-artifacts", budget, Throwing(lost));

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.Conflict));
            Assert.That(context.Error!.Message, Does.StartWith(lost.Message).And.Contain("stopped"));
            Assert.That(context.ClaimLost, Is.EqualTo(context.Error.Message));
            Assert.That(context.Claimed, Is.False);
            Assert.That(context.Budget.Token.IsCancellationRequested, Is.True, "the steps still to come are stopped");
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
}
