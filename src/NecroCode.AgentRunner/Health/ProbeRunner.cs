using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NecroCode.AgentRunner.Health;

/// <summary>Calls a provider's <see cref="IHealthProbe"/> within a timeout, turning failures into a result.</summary>
internal static class ProbeRunner
{
    public static async Task<HealthCheckResult> ProbeAsync(IHealthProbe probe, string what, HealthStatus failureStatus, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await probe.ProbeAsync(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failureStatus, $"the {what} did not answer within {timeout.TotalSeconds:0.###} s");
        }
#pragma warning disable CA1031 // Any failure of the probe is the answer of the check.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(failureStatus, $"the {what} failed: {ex.Message}");
        }
    }
}
