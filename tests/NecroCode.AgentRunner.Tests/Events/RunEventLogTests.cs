using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Tests.Events;

[TestFixture]
public sealed class RunEventLogTests
{
    private static IEnumerable<TestCaseData> EventsWithAndWithoutTheirOptionalPart()
    {
        yield return new TestCaseData(new StepFinished("push", StepOutcome.Succeeded, TimeSpan.FromMilliseconds(5)), "Step push of task 1.1 Succeeded in 5 ms");
        yield return new TestCaseData(new StepFinished("push", StepOutcome.Failed, TimeSpan.FromMilliseconds(5), "rejected"), "Step push of task 1.1 Failed in 5 ms: rejected");
        yield return new TestCaseData(new StateChanged(RunnerState.Idle, RunnerState.Running), "Runner runner-1 moved from Idle to Running");
        yield return new TestCaseData(new StateChanged(RunnerState.Running, RunnerState.Failed, "tests failed"), "Runner runner-1 moved from Running to Failed: tests failed");
        yield return new TestCaseData(new RunWarning(null, "the slot was dirty"), "the slot was dirty");
        yield return new TestCaseData(new RunWarning("prepare", "the slot was dirty"), "Step prepare: the slot was dirty");
        yield return new TestCaseData(new RunFinished(RunOutcome.Succeeded, TimeSpan.FromSeconds(2)), "Task 1.1 finished: Succeeded in 2 s");
        yield return new TestCaseData(new RunFinished(RunOutcome.TestsFailed, TimeSpan.FromSeconds(2), "2 tests failed"), "Task 1.1 finished: TestsFailed in 2 s: 2 tests failed");
    }

    [TestCaseSource(nameof(EventsWithAndWithoutTheirOptionalPart))]
    public void Write_EventWithOrWithoutItsOptionalPart_OneMessageWithoutAnEmptyPlaceholder(RunEvent runEvent, string expected)
    {
        var logger = new FakeLogger();

        RunEventLog.Write(logger, runEvent with { RunnerId = "runner-1", TaskId = "1.1" });

        Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Is.EqualTo(new[] { expected }));
    }
}
