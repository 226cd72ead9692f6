using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NecroCode.AgentRunner.Health;

/// <summary>Unhealthy once the host marked the runner as shutting down.</summary>
internal sealed class ShutdownHealthCheck(RunnerReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.ShutdownReason is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy("the runner takes work"));
}
