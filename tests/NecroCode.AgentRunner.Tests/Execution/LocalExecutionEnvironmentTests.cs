using NecroCode.AgentRunner.Execution;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Execution;

[TestFixture]
public sealed class LocalExecutionEnvironmentTests
{
    [Test]
    public void SupportsResume_Local_IsTrue()
    {
        using var h = new OrchestratorHarness();

        IExecutionEnvironment environment = new LocalExecutionEnvironment(h.Create());

        Assert.That(environment.SupportsResume, Is.True);
    }

    [Test]
    public async Task RunAsync_WithoutSink_TheObserversSeeEachEventOnce()
    {
        using var h = new OrchestratorHarness();
        var observer = new EventRecorder();
        h.Observers.Add(observer);

        var result = await new LocalExecutionEnvironment(h.Create()).RunAsync(new ExecutionRequest(OrchestratorHarness.Task()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        Assert.That(observer.Events.OfType<RunFinished>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_WithSink_TheSinkGetsTheEventsInOrder()
    {
        using var h = new OrchestratorHarness();
        var sink = new RecordingEventSink();

        await new LocalExecutionEnvironment(h.Create()).RunAsync(new ExecutionRequest(OrchestratorHarness.Task(), sink), CancellationToken.None);

        Assert.That(sink.Events[0], Is.TypeOf<StateChanged>().Or.TypeOf<RunStarted>());
        Assert.That(sink.Events[^1], Is.TypeOf<RunFinished>());
        Assert.That(sink.Events.Select(e => e.Sequence), Is.Ordered);
    }

    [Test]
    public async Task RunAsync_ResumeWithSink_ResumesAndForwards()
    {
        using var h = new OrchestratorHarness();
        var sink = new RecordingEventSink();
        var task = OrchestratorHarness.Task();

        var result = await new LocalExecutionEnvironment(h.Create()).RunAsync(new ExecutionRequest(task, sink) { Resume = true }, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        Assert.That(sink.Events.OfType<RunFinished>().Single().Outcome, Is.EqualTo(RunOutcome.Succeeded));
    }
}
