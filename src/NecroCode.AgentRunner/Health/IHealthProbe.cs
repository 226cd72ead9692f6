using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NecroCode.AgentRunner.Health;

/// <summary>
/// Implemented by a provider (artifact store, slot pool) that can tell whether it is reachable. The readiness
/// checks call it for providers the core cannot probe itself; a provider without it is reported Healthy with a
/// note that it was not probed.
/// </summary>
public interface IHealthProbe
{
    /// <summary>Checks that the provider can serve requests now; cheap and side-effect free (or self-cleaning).</summary>
    /// <param name="cancellationToken">Cancels the probe (the check's timeout).</param>
    /// <returns>Healthy, or Unhealthy/Degraded with a description naming what is wrong.</returns>
    Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken);
}
