using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeTestRunnerTests
{
    [Test]
    public async Task RunAsync_ScriptedOutcomes_ReturnedInOrderThenTheLastRepeats()
    {
        var runner = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed);

        var outcomes = new List<TestOutcome>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await runner.RunAsync(Request("sh test.sh"), CancellationToken.None)).Outcome);
        }

        Assert.That(outcomes, Is.EqualTo(new[] { TestOutcome.Failed, TestOutcome.Passed, TestOutcome.Passed }));
    }

    [Test]
    public async Task RunAsync_BaselineRequest_AnsweredWithBaselineOutcomeWithoutTakingFromTheScript()
    {
        var runner = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed) { BaselineOutcome = TestOutcome.Failed };

        var baseline = await runner.RunAsync(Request("sh test.sh") with { Baseline = true }, CancellationToken.None);
        var first = await runner.RunAsync(Request("sh test.sh"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(baseline.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(first.Outcome, Is.EqualTo(TestOutcome.Failed), "the script starts where it was");
            Assert.That(runner.BaselineRequests, Has.Count.EqualTo(1));
            Assert.That(runner.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_NoOutcomes_Passes()
    {
        var result = await new FakeTestRunner().RunAsync(Request(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Passed));
            Assert.That(result.Commands.Select(c => (c.Command, c.Outcome)), Is.EqualTo(new[] { ("fake-test", TestOutcome.Passed) }));
        });
    }

    [Test]
    public async Task RunAsync_Commands_OneFailedResultPerCommandAndTheRequestRecorded()
    {
        var runner = new FakeTestRunner(TestOutcome.Failed);
        var request = Request("a", "b");

        var result = await runner.RunAsync(request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Commands.Select(c => (c.Command, c.Outcome, c.ExitCode)), Is.EqualTo(new[] { ("a", TestOutcome.Failed, (int?)1), ("b", TestOutcome.Failed, (int?)1) }));
            Assert.That(runner.Requests, Is.EqualTo(new[] { request }));
        });
    }

    private static TestRequest Request(params string[] commands) => new("/workspace", commands, FailFast: false, new RecordingEventSink());
}
