using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NecroCode.AgentRunner.Telemetry;

/// <summary>
/// The product's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named
/// <c>NecroCode.AgentRunner</c>, and its instruments.
/// </summary>
public static class AgentRunnerTelemetry
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "NecroCode.AgentRunner";

    /// <summary>Spans: <c>agentrunner.run</c> per run, <c>agentrunner.step</c> per step.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The product's meter.</summary>
    public static readonly Meter Meter = new(Name);

    internal static readonly Histogram<double> RunDuration =
        Meter.CreateHistogram<double>("agentrunner.task.duration", "s", "Duration of a run, by outcome.");

    internal static readonly Histogram<double> StepDuration =
        Meter.CreateHistogram<double>("agentrunner.step.duration", "s", "Duration of a step, by step and outcome.");

    internal static readonly Counter<long> Runs =
        Meter.CreateCounter<long>("agentrunner.task.runs", "{run}", "Finished runs, by outcome.");

    internal static readonly UpDownCounter<long> ActiveRuns =
        Meter.CreateUpDownCounter<long>("agentrunner.task.active", "{run}", "Runs in progress in this process.");

    internal static readonly Counter<long> Retries =
        Meter.CreateCounter<long>("agentrunner.retries", "{retry}", "Retried operations, by step and operation.");
}
