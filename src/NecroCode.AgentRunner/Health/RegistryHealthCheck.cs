using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Health;

/// <summary>Healthy when the registry lists its runners within <see cref="AgentRunnerHealthCheckOptions.ProbeTimeout"/>.</summary>
internal sealed class RegistryHealthCheck(ITaskRegistry registry, IOptions<AgentRunnerHealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.ProbeTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var runners = await registry.GetRunnersAsync(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"the registry answered ({runners.Count} runners registered)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the registry did not answer within {timeout.TotalSeconds:0.###} s");
        }
#pragma warning disable CA1031 // Any failure of the registry is the answer of this check.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the registry failed: {ex.Message}");
        }
    }
}
