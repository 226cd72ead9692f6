using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the runner's readiness checks to a health checks builder.</summary>
public static class AgentRunnerHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the readiness checks, all tagged <see cref="AgentRunnerHealthChecks.ReadyTag"/>: the registry answers
    /// (<see cref="AgentRunnerHealthChecks.Registry"/>), the artifact store is reachable
    /// (<see cref="AgentRunnerHealthChecks.ArtifactStore"/>), the slot pool has a slot
    /// (<see cref="AgentRunnerHealthChecks.SlotPool"/>) and the runner is not shutting down
    /// (<see cref="AgentRunnerHealthChecks.Shutdown"/>, driven by the <see cref="RunnerReadiness"/> singleton
    /// this registers). Liveness needs no check: the process answering is the answer.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="configure">Adjusts the timeout and whether a slot is required.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddAgentRunnerHealthChecks(this IHealthChecksBuilder builder, Action<AgentRunnerHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AgentRunnerHealthCheckOptions>().Configure(configure ?? (_ => { })).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentRunnerHealthCheckOptions>, AgentRunnerHealthCheckOptionsValidator>());
        builder.Services.TryAddSingleton<RunnerReadiness>();
        string[] tags = [AgentRunnerHealthChecks.ReadyTag];
        return builder
            .AddCheck<RegistryHealthCheck>(AgentRunnerHealthChecks.Registry, HealthStatus.Unhealthy, tags)
            .AddCheck<ArtifactStoreHealthCheck>(AgentRunnerHealthChecks.ArtifactStore, HealthStatus.Unhealthy, tags)
            .AddCheck<SlotPoolHealthCheck>(AgentRunnerHealthChecks.SlotPool, HealthStatus.Unhealthy, tags)
            .AddCheck<ShutdownHealthCheck>(AgentRunnerHealthChecks.Shutdown, HealthStatus.Unhealthy, tags);
    }
}
