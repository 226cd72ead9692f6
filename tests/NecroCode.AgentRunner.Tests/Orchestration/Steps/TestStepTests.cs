using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Testing;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class TestStepTests
{
    private static TestRunResult Passing => new(TestOutcome.Passed, [new TestCommandResult("true", TestOutcome.Passed, 0, TimeSpan.Zero, "ok", "")], TimeSpan.Zero);

    private static ITestRunner Returning(TestRunResult result)
    {
        var runner = Substitute.For<ITestRunner>();
        runner.RunAsync(Arg.Any<TestRequest>(), Arg.Any<CancellationToken>()).Returns(result);
        return runner;
    }

    [Test]
    public async Task Check_NoWorkspace_NeedsPrepareWorkspace()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        Assert.That(h.Test().Check(context), Is.EqualTo(StepVerdict.MissingPrerequisite("test", "prepare-workspace")));
    }

    [Test]
    public async Task Check_TestsPassedEarlier_NoLongerCountAsPassed()
    {
        using var h = new StepHarness();
        var context = await h.TestedAsync();

        var verdict = h.Test().Check(context);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.Null);
            Assert.That(context.TestsPassed, Is.False);
        });
    }

    [Test]
    public async Task Resume_JournalHoldsTheCommitAndItsPassingTests_SkippedWithTheTestsRestored()
    {
        using var h = new StepHarness();
        var passing = Passing;
        var context = await h.PreparedAsync(previous: h.NewJournal() with { CommitId = "c1", Tests = passing });

        var verdict = h.Test().Resume(context);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Skipped));
            Assert.That(context.Tests, Is.SameAs(passing));
            Assert.That(context.TestsPassed, Is.True);
        });
    }

    [Test]
    public async Task Resume_JournalHoldsTestsButNoCommit_RunsAgain()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync(previous: h.NewJournal() with { Tests = Passing });

        Assert.Multiple(() =>
        {
            Assert.That(h.Test().Resume(context), Is.Null);
            Assert.That(context.TestsPassed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_TestsPass_SucceedsOnTheFirstAttemptAndJournalsTheTests()
    {
        using var h = new StepHarness();
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That((context.TestsPassed, context.PassedOnAttempt), Is.EqualTo((true, (int?)1)));
            Assert.That(stored!.Tests!.Commands.Select(c => (c.Command, c.Outcome)), Is.EqualTo(new[] { ("true", TestOutcome.Passed) }));
            Assert.That(((FakeCodingAgent)h.Agent).Requests, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_FailingThenPassing_FixAttemptIsItsOwnStepResult()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed) };
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        var request = ((FakeCodingAgent)h.Agent).Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.Steps.Select(s => (s.Name, s.Outcome)), Is.EqualTo(new[] { ("fix-2", StepOutcome.Succeeded) }));
            Assert.That((request.Attempt, request.StepName), Is.EqualTo((2, "fix-2")));
            Assert.That(context.PassedOnAttempt, Is.EqualTo(2));
            Assert.That(context.FailedAttempts.Select(a => (a.Number, a.Tests.Outcome)), Is.EqualTo(new[] { (1, TestOutcome.Failed) }));
        });
    }

    [Test]
    public async Task RunAsync_FailingThenPassing_WarnsBeforeAskingForTheFix()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed) };
        var context = await h.PreparedAsync();

        await h.Test().RunAsync(context, CancellationToken.None);

        var events = await h.EventsAsync(context);
        Assert.That(events.OfType<RunWarning>().Select(w => (w.Step, w.Message)), Is.EqualTo(new[] { ("test", "The tests failed; asking the agent for a fix (attempt 2 of 3).") }));
    }

    [Test]
    public async Task RunAsync_FixAttemptsExhausted_TestsFailedAfterEveryAttempt()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed) };
        h.Options.MaxFixAttempts = 1;
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.TestsFailed, "test", "The tests did not pass after 2 attempts: 'true' failed (exit code 1).")));
            Assert.That(context.Steps.Select(s => s.Name), Is.EqualTo(new[] { "fix-2" }));
            Assert.That(context.TestsPassed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_NoFixAttemptsAllowed_TestsFailedWithoutAskingTheAgent()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed) };
        h.Options.MaxFixAttempts = 0;
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.TestsFailed, "test", "The tests did not pass: 'true' failed (exit code 1).")));
            Assert.That(((FakeCodingAgent)h.Agent).Requests, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_FixAttemptFails_StopsWithTheFailureRecordedByTheFixStep()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.Failed), Agent = FakeCodingAgent.Exiting(3) };
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(new StepVerdict(StepOutcome.Failed)));
            Assert.That(context.Error, Is.EqualTo(new RunError("fix-2", "The agent exited with code 3.")));
            Assert.That(context.Steps.Select(s => (s.Name, s.Outcome, s.Message)), Is.EqualTo(new[] { ("fix-2", StepOutcome.Failed, "The agent exited with code 3.") }));
            Assert.That(((FakeTestRunner)h.Tests).Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_BrokenResourceLimit_ResourceLimitExceededWithoutAFix()
    {
        using var h = new StepHarness { Tests = new FakeTestRunner(TestOutcome.LimitExceeded) };
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.ResourceLimitExceeded, "test", "The tests were stopped: 'true' broke a resource limit: limit exceeded.")));
            Assert.That(((FakeCodingAgent)h.Agent).Requests, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_NoTestCommandAndNoneDetected_TestsFailedNamingTestCommandsWithoutAFix()
    {
        using var h = new StepHarness();
        h.Tests = Returning(new TestRunResult(TestOutcome.Error, [new TestCommandResult("", TestOutcome.Error, null, TimeSpan.Zero, "", "No test command was given and none was detected.")], TimeSpan.Zero));
        var context = await h.PreparedAsync(StepHarness.NewTask() with { TestCommands = [] });

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Fail(RunOutcome.TestsFailed, "test", "No test command was given and none was detected. Set the task's testCommands to the command(s) that run its tests.")));
            Assert.That(((FakeCodingAgent)h.Agent).Requests, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_TestOutputHoldsASecret_MaskedInTheRunAndTheJournal()
    {
        using var h = new StepHarness();
        h.Masker.AddSecret("s3cr3t");
        h.Tests = Returning(new TestRunResult(TestOutcome.Passed, [new TestCommandResult("make test TOKEN=s3cr3t", TestOutcome.Passed, 0, TimeSpan.Zero, "using s3cr3t", "")], TimeSpan.Zero));
        var context = await h.PreparedAsync();

        await h.Test().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(context.Tests!.Commands.Single().Command, Is.EqualTo("make test TOKEN=***"));
            Assert.That(stored!.Tests!.Commands.Single().StandardOutput, Is.EqualTo("using ***"));
        });
    }

    [Test]
    public async Task RunAsync_StepLimitPassesDuringAFix_FixAndTestStepTimeOutNamingTheTestStep()
    {
        using var h = new StepHarness
        {
            Tests = new FakeTestRunner(TestOutcome.Failed),
            Agent = new FakeCodingAgent(async (_, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return new AgentResult(true, 0);
            }),
        };
        var context = await h.PreparedAsync();
        using var budget = context.Budget!.ForStep(always: false, limit: TimeSpan.FromMilliseconds(100));

        var outcome = await h.StepRunner().RunAsync(context, h.Test(), "test", budget);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(StepOutcome.TimedOut));
            Assert.That(context.FailureOutcome, Is.EqualTo(RunOutcome.TimedOut));
            Assert.That(context.Steps.Select(s => (s.Name, s.Outcome)), Is.EqualTo(new[] { ("fix-2", StepOutcome.TimedOut), ("test", StepOutcome.TimedOut) }));
            Assert.That(context.Error!.Message, Is.EqualTo("Step test ran past its timeout of 00:00:00.1000000."), "the limit is the test step's");
        });
    }

    [Test]
    public async Task RunAsync_HostCancelsDuringAFix_FixStepCancelledAndTestStepStops()
    {
        using var host = new CancellationTokenSource();
        using var h = new StepHarness
        {
            Tests = new FakeTestRunner(TestOutcome.Failed),
            Agent = new FakeCodingAgent(async (_, token) =>
            {
                await host.CancelAsync();
                await Task.Delay(Timeout.Infinite, token);
                return new AgentResult(true, 0);
            }),
        };
        var context = await h.PreparedAsync(host: host.Token);

        var verdict = await h.Test().RunAsync(context, context.Budget!.Token);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(new StepVerdict(StepOutcome.Cancelled)));
            Assert.That(context.Error, Is.EqualTo(new RunError("fix-2", "The run was cancelled during step fix-2.", typeof(TaskCanceledException).FullName)));
        });
    }
}
