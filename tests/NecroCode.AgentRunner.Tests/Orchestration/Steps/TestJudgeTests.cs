using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Testing;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

/// <summary>The test step's judgement with a baseline, through <see cref="TestStep"/>.</summary>
[TestFixture]
public sealed class TestJudgeTests
{
    private static async Task<NecroCode.AgentRunner.Orchestration.RunContext> BaselinedAsync(StepHarness h)
    {
        var context = await h.PreparedAsync();
        await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);
        return context;
    }

    [Test]
    public async Task RunAsync_FailingBeforeAndAfter_PreexistingFailureDoesNotFailTheRun()
    {
        using var h = new StepHarness();
        h.Tests = new FakeTestRunner(TestOutcome.Failed) { BaselineOutcome = TestOutcome.Failed };
        var context = await BaselinedAsync(h);

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.TestsPassed, Is.True);
            Assert.That(context.Tests!.Comparison!.Tests.Single().Class, Is.EqualTo(TestCaseClass.StillFailing));
            Assert.That(context.Tests.Comparison.Accepted, Is.True);
        });
    }

    [Test]
    public async Task RunAsync_CaseThatPassesWhenRunAgain_FlakyAndPassed()
    {
        using var h = new StepHarness();
        var tests = Substitute.For<ITestRunner>();
        tests.RunAsync(Arg.Any<TestRequest>(), Arg.Any<CancellationToken>()).Returns(Run(TestOutcome.Passed), Run(TestOutcome.Failed), Run(TestOutcome.Passed));
        h.Tests = tests;
        var context = await BaselinedAsync(h);

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(tests.ReceivedCalls().Count(), Is.EqualTo(3), "the baseline, the run, and its rerun");
            Assert.That(context.Tests!.Comparison!.Rerun, Is.True);
            Assert.That(context.Tests.Comparison.Tests.Select(t => t.Class), Is.EqualTo(new[] { TestCaseClass.Flaky, TestCaseClass.Flaky }));
            Assert.That(context.Tests.Outcome, Is.EqualTo(TestOutcome.Failed), "the first run after the change is the one kept");
        });
    }

    private static TestRunResult Run(TestOutcome outcome) =>
        new(outcome, [new TestCommandResult("pytest", outcome, outcome == TestOutcome.Passed ? 0 : 1, TimeSpan.Zero, "", "")], TimeSpan.Zero)
        {
            Cases = [new TestCaseResult("calc", "adds", outcome == TestOutcome.Passed ? TestCaseOutcome.Passed : TestCaseOutcome.Failed)],
        };

    [Test]
    public async Task RunAsync_RegressionWithoutFixes_FailsNamingTheRegression()
    {
        using var h = new StepHarness();
        h.Options.MaxFixAttempts = 0;
        h.Tests = new FakeTestRunner(TestOutcome.Failed);
        var context = await BaselinedAsync(h);

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(verdict.Failure.Message, Is.EqualTo("The tests did not pass. Failing the run compared with the baseline: true (regressed)."));
            Assert.That(context.Tests!.Comparison!.Rerun, Is.False, "without cases there is nothing to tell flaky");
        });
    }

    [Test]
    public async Task RunAsync_RegressionAndAFixAttempt_FixPromptNamesOnlyTheRegression()
    {
        using var h = new StepHarness();
        h.Options.MaxFixAttempts = 1;
        var agent = FakeCodingAgent.Writing("src/feature.txt", "fixed\n");
        h.Agent = agent;
        h.TestOptions.RerunFailures = false;
        h.Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed);
        var context = await BaselinedAsync(h);

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(agent.Requests.Single().Prompt, Does.Contain("these fail because of the change").And.Contain("$ true"));
        });
    }

    [Test]
    public async Task RunAsync_NoBaseline_JudgedByOutcomeAlone()
    {
        using var h = new StepHarness();
        h.Options.MaxFixAttempts = 0;
        h.Tests = new FakeTestRunner(TestOutcome.Failed);
        var context = await h.PreparedAsync();

        var verdict = await h.Test().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Message, Is.EqualTo("The tests did not pass: 'true' failed (exit code 1)."));
            Assert.That(context.Tests!.Comparison, Is.Null);
        });
    }
}
