using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NecroCode.AgentRunner.Telemetry;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration;

[TestFixture]
[NonParallelizable]
public sealed class RunnerOrchestratorTelemetryTests
{
    [Test]
    public async Task RunAsync_Completed_RecordsDurationOutcomeAndStepMetrics()
    {
        using var h = new OrchestratorHarness();
        using var duration = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.task.duration");
        using var steps = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.step.duration");
        using var runs = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.task.runs");
        using var active = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.task.active");

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        var mine = duration.GetMeasurementSnapshot().Where(m => (string?)m.Tags["outcome"] == "Succeeded").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(mine, Is.Not.Empty);
            Assert.That(mine[^1].Value, Is.GreaterThanOrEqualTo(0));
            Assert.That(runs.GetMeasurementSnapshot().Any(m => (string?)m.Tags["outcome"] == "Succeeded"), Is.True);
            Assert.That(steps.GetMeasurementSnapshot().Select(m => (string?)m.Tags["step"]), Is.SupersetOf(new[] { "implement", "test", "push" }));
            Assert.That(active.GetMeasurementSnapshot().Sum(m => m.Value), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_WithListener_EmitsRunAndStepSpans()
    {
        using var h = new OrchestratorHarness(tests: new FakeTestRunner(TestOutcome.Failed));
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AgentRunnerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        List<Activity> mine;
        lock (spans)
        {
            mine = spans.Where(s => s.OperationName == "agentrunner.run" && (string?)s.GetTagItem("agentrunner.runner") == result.RunnerId).ToList();
        }

        Assert.Multiple(() =>
        {
            Assert.That(mine, Has.Count.EqualTo(1));
            Assert.That(mine[0].Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(
                spans.Where(s => s.OperationName == "agentrunner.step" && s.Parent == mine[0]).Select(s => (string?)s.GetTagItem("agentrunner.step")),
                Is.EquivalentTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "test", "upload-artifacts", "report", "release-slot" }),
                "the steps that ran (commit and push are skipped after the tests failed)");
        });
    }
}
