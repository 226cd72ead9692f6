using System.Diagnostics.Metrics;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Concurrency;

/// <summary>The host-wide parallelism instruments, on the product's <see cref="AgentRunnerTelemetry.Meter"/>.</summary>
internal static class ConcurrencyTelemetry
{
    /// <summary><c>agentrunner.queue.wait</c>: how long a run waited for a free run slot on its host.</summary>
    public static readonly Histogram<double> QueueWait =
        AgentRunnerTelemetry.Meter.CreateHistogram<double>("agentrunner.queue.wait", "s", "Time a run waited for a free run slot on its host.");

    /// <summary><c>agentrunner.runs.concurrent</c>: runs of this process holding a run slot.</summary>
    public static readonly UpDownCounter<long> ConcurrentRuns =
        AgentRunnerTelemetry.Meter.CreateUpDownCounter<long>("agentrunner.runs.concurrent", "{run}", "Runs of this process holding a host run slot.");
}
