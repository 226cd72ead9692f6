using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Health;

/// <summary>Settings of the readiness checks added by <c>AddAgentRunnerHealthChecks</c>.</summary>
public sealed class AgentRunnerHealthCheckOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Health</c>.</summary>
    public const string SectionName = "NecroCode:Health";

    /// <summary>Longest wait for the registry (and a provider's <see cref="IHealthProbe"/>) to answer. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether readiness requires the slot pool to hold at least one slot. Default true; turn it off for hosts
    /// whose workspaces do not come from the pool.
    /// </summary>
    public bool RequireSlot { get; set; } = true;
}
