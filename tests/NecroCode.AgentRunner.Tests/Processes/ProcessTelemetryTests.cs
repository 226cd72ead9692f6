using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
[Category("Integration")]
public sealed class ProcessTelemetryTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private ProcessSpec Script(string step, string body, TimeSpan timeout) => new()
    {
        FileName = _dir.WriteScript("script-" + Guid.NewGuid().ToString("N") + ".sh", body),
        WorkingDirectory = _dir.Path,
        Timeout = timeout,
        StepName = step,
    };

    private static IReadOnlyList<CollectedMeasurement<T>> ForStep<T>(MetricCollector<T> collector, string step)
        where T : struct =>
        [.. collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags.GetValueOrDefault(ProcessTelemetry.StepTag), step))];

    [Test]
    public async Task RunAsync_BusyProcess_RecordsPeakMemoryCpuTimeAndDurationTaggedWithStep()
    {
        var step = "busy-" + Guid.NewGuid().ToString("N");
        using var memory = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.process.peak_memory");
        using var cpu = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.process.cpu_time");
        using var duration = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.process.duration");
        var spec = Script(step, "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; echo done", TimeSpan.FromMinutes(2));

        var result = await ProcessRunnerTests.CreateRunner().RunAsync(spec, CancellationToken.None);

        var memoryPoints = ForStep(memory, step);
        var cpuPoints = ForStep(cpu, step);
        var durationPoints = ForStep(duration, step);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(memoryPoints, Has.Count.EqualTo(1));
            Assert.That(memoryPoints[0].Value, Is.GreaterThan(0).And.EqualTo(result.PeakMemoryBytes));
            Assert.That(cpuPoints, Has.Count.EqualTo(1));
            Assert.That(cpuPoints[0].Value, Is.GreaterThan(0).And.EqualTo(result.CpuTime!.Value.TotalSeconds));
            Assert.That(durationPoints, Has.Count.EqualTo(1));
            Assert.That(durationPoints[0].Value, Is.EqualTo(result.Duration.TotalSeconds));
            Assert.That(durationPoints[0].Tags[ProcessTelemetry.ReasonTag], Is.EqualTo("exited"));
        });
    }

    [Test]
    public async Task RunAsync_TimedOut_RecordsDurationWithTimedOutReason()
    {
        var step = "slow-" + Guid.NewGuid().ToString("N");
        using var duration = new MetricCollector<double>(AgentRunnerTelemetry.Meter, "agentrunner.process.duration");
        var spec = Script(step, "echo started; while :; do sleep 1; done", TimeSpan.FromSeconds(1));

        var result = await ProcessRunnerTests.CreateRunner().RunAsync(spec, CancellationToken.None);

        var points = ForStep(duration, step);
        Assert.Multiple(() =>
        {
            Assert.That(result.TimedOut, Is.True);
            Assert.That(points, Has.Count.EqualTo(1));
            Assert.That(points[0].Tags[ProcessTelemetry.ReasonTag], Is.EqualTo("timed-out"));
            Assert.That(points[0].Value, Is.GreaterThanOrEqualTo(1.0));
        });
    }
}
