using NecroCode.AgentRunner.Orchestration.Steps;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Testing;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class TestBaselineTests
{
    [Test]
    public async Task TakeAsync_DefaultPlaybook_TestsRunOnceAsTheBaseline()
    {
        using var h = new StepHarness();
        var tests = new FakeTestRunner(TestOutcome.Passed) { BaselineOutcome = TestOutcome.Failed };
        h.Tests = tests;
        var context = await h.PreparedAsync();

        var verdict = await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.Null);
            Assert.That(context.Baseline, Is.Not.Null);
            Assert.That(context.Baseline!.BaseCommit, Is.EqualTo(context.Workspace!.BaseCommit));
            Assert.That(context.Baseline.Result.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(context.Baseline.Cached, Is.False);
            Assert.That(tests.BaselineRequests.Single().StepName, Is.EqualTo("baseline"));
            Assert.That(tests.Requests, Is.Empty, "the baseline takes nothing from the script");
        });
    }

    [Test]
    public async Task TakeAsync_SecondRunOnTheSameBase_SharesTheCachedBaseline()
    {
        using var h = new StepHarness();
        var tests = new FakeTestRunner();
        h.Tests = tests;
        var first = await h.PreparedAsync();
        await h.Baseline().TakeAsync(first, "implement", CancellationToken.None);
        var second = h.Context();
        second.Workspace = first.Workspace;

        await h.Baseline().TakeAsync(second, "implement", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second.Baseline!.Cached, Is.True);
            Assert.That(tests.BaselineRequests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task TakeAsync_ParallelRunsOnTheSameBase_OneBaselineRun()
    {
        using var h = new StepHarness();
        var gate = new TaskCompletionSource();
        var runs = 0;
        var tests = Substitute.For<ITestRunner>();
        tests.RunAsync(Arg.Any<TestRequest>(), Arg.Any<CancellationToken>()).Returns(async _ =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return new TestRunResult(TestOutcome.Passed, [new TestCommandResult("sh test.sh", TestOutcome.Passed, 0, TimeSpan.Zero, "", "")], TimeSpan.Zero);
        });
        h.Tests = tests;
        var first = await h.PreparedAsync();
        var second = h.Context();
        second.Workspace = first.Workspace;
        var baseline = h.Baseline();

        var both = Task.WhenAll(baseline.TakeAsync(first, "implement", CancellationToken.None), baseline.TakeAsync(second, "implement", CancellationToken.None));
        gate.SetResult();
        await both;

        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.EqualTo(1));
            Assert.That(new[] { first.Baseline!.Cached, second.Baseline!.Cached }, Is.EquivalentTo(new[] { false, true }));
        });
    }

    [Test]
    public async Task TakeAsync_Never_NoBaseline()
    {
        using var h = new StepHarness();
        var tests = new FakeTestRunner();
        h.Tests = tests;
        h.TestOptions.Baseline = TestBaselineMode.Never;
        var context = await h.PreparedAsync();

        await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(context.Baseline, Is.Null);
            Assert.That(tests.BaselineRequests, Is.Empty);
        });
    }

    [Test]
    public async Task TakeAsync_PlaybookWithoutATestStep_NoBaseline()
    {
        using var h = new StepHarness();
        var tests = new FakeTestRunner();
        h.Tests = tests;
        var prepared = await h.PreparedAsync();
        var context = h.Context(Playbook.Default with { Steps = [.. Playbook.Default.Steps.Where(s => s.Uses != PlaybookBuiltInSteps.Test)] });
        context.Workspace = prepared.Workspace;

        await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(context.Baseline, Is.Null);
            Assert.That(tests.BaselineRequests, Is.Empty);
        });
    }

    [Test]
    public async Task TakeAsync_BaselineTimesOutInAutoMode_WarningAndNoBaseline()
    {
        using var h = new StepHarness();
        h.Tests = new FakeTestRunner { BaselineOutcome = TestOutcome.TimedOut };
        var context = await h.PreparedAsync();

        var verdict = await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);
        var warnings = (await h.EventsAsync(context)).OfType<RunWarning>().Select(w => w.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.Null);
            Assert.That(context.Baseline, Is.Null);
            Assert.That(warnings.Single(), Does.Contain("could not be taken ('true' ended timedout").And.Contain("Every failing test fails the run"));
        });
    }

    [Test]
    public async Task TakeAsync_BaselineTimesOutInAlwaysMode_FailsBeforeTheAgent()
    {
        using var h = new StepHarness();
        h.Tests = new FakeTestRunner { BaselineOutcome = TestOutcome.TimedOut };
        h.TestOptions.Baseline = TestBaselineMode.Always;
        var context = await h.PreparedAsync();

        var verdict = await h.Implement().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Failure!.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(verdict.Failure!.Message, Does.Contain("could not be taken").And.Contain("the agent did not start"));
            Assert.That(context.Implementations, Is.Empty);
        });
    }

    [TestCase(TestBaselineMode.Auto, false)]
    [TestCase(TestBaselineMode.Always, true)]
    public async Task TakeAsync_CommandStepBeforeTheTestStep_OnlyAlwaysTakesIt(TestBaselineMode mode, bool taken)
    {
        using var h = new StepHarness();
        var tests = new FakeTestRunner();
        h.Tests = tests;
        h.TestOptions.Baseline = mode;
        var prepared = await h.PreparedAsync();
        var steps = Playbook.Default.Steps.ToList();
        steps.Insert(steps.FindIndex(s => s.Uses == PlaybookBuiltInSteps.Test), new PlaybookStep { Name = "install", Run = "npm ci" });
        var context = h.Context(Playbook.Default with { Steps = steps });
        context.Workspace = prepared.Workspace;

        await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);

        Assert.That(context.Baseline is not null, Is.EqualTo(taken));
    }

    [Test]
    public async Task TakeAsync_TestsWriteAFile_FileRemovedBeforeTheAgentWorks()
    {
        using var h = new StepHarness();
        var tests = Substitute.For<ITestRunner>();
        tests.RunAsync(Arg.Any<TestRequest>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            await File.WriteAllTextAsync(Path.Combine(call.Arg<TestRequest>().WorkspacePath, "coverage.txt"), "91%");
            return new TestRunResult(TestOutcome.Passed, [new TestCommandResult("sh test.sh", TestOutcome.Passed, 0, TimeSpan.Zero, "", "")], TimeSpan.Zero);
        });
        h.Tests = tests;
        var context = await h.PreparedAsync();

        await h.Baseline().TakeAsync(context, "implement", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(context.Baseline, Is.Not.Null);
            Assert.That(File.Exists(Path.Combine(context.Workspace!.Path, "coverage.txt")), Is.False);
        });
    }
}
