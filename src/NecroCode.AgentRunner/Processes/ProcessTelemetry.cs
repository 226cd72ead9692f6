using System.Diagnostics.Metrics;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// The process instruments, on the product's <see cref="AgentRunnerTelemetry.Meter"/>: one
/// measurement per <see cref="ProcessRunner"/> call (a step's process tree), tagged <c>step</c> (the step name)
/// and <c>reason</c> (<see cref="ProcessStopLine.ReasonToken"/>: <c>exited</c>, <c>timed-out</c>, <c>cancelled</c>,
/// <c>memory-limit-exceeded</c>, <c>cpu-time-limit-exceeded</c>, <c>wrap-up-expired</c>).
/// </summary>
internal static class ProcessTelemetry
{
    /// <summary>The tag naming the step.</summary>
    public const string StepTag = "step";

    /// <summary>The tag naming why the tree ended.</summary>
    public const string ReasonTag = "reason";

    /// <summary><c>agentrunner.process.peak_memory</c>: highest resident memory of the whole tree, in bytes.</summary>
    public static readonly Histogram<long> PeakMemory =
        AgentRunnerTelemetry.Meter.CreateHistogram<long>("agentrunner.process.peak_memory", "By", "Peak resident memory of a step's process tree.");

    /// <summary><c>agentrunner.process.cpu_time</c>: user plus system CPU time of the whole tree, in seconds.</summary>
    public static readonly Histogram<double> CpuTime =
        AgentRunnerTelemetry.Meter.CreateHistogram<double>("agentrunner.process.cpu_time", "s", "CPU time used by a step's process tree.");

    /// <summary><c>agentrunner.process.duration</c>: start to end of the tree (including stopping it), in seconds.</summary>
    public static readonly Histogram<double> Duration =
        AgentRunnerTelemetry.Meter.CreateHistogram<double>("agentrunner.process.duration", "s", "Duration of a step's process tree, start to end.");

    /// <summary>Records the figures of one finished tree.</summary>
    /// <param name="step">The step name.</param>
    /// <param name="reason">Why it ended.</param>
    /// <param name="duration">Start to end.</param>
    /// <param name="peakMemoryBytes">Peak resident memory; not recorded when null (not measured).</param>
    /// <param name="cpuTime">CPU time; not recorded when null (not measured).</param>
    public static void Record(string step, ProcessStopReason reason, TimeSpan duration, long? peakMemoryBytes, TimeSpan? cpuTime)
    {
        var stepTag = new KeyValuePair<string, object?>(StepTag, step);
        var reasonTag = new KeyValuePair<string, object?>(ReasonTag, ProcessStopLine.ReasonToken(reason));
        Duration.Record(duration.TotalSeconds, stepTag, reasonTag);
        if (peakMemoryBytes is { } memory)
        {
            PeakMemory.Record(memory, stepTag, reasonTag);
        }

        if (cpuTime is { } cpu)
        {
            CpuTime.Record(cpu.TotalSeconds, stepTag, reasonTag);
        }
    }
}
