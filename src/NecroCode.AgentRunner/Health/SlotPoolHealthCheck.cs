using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Health;

/// <summary>
/// The slot pool holds at least one slot (leased or not), or can add one: for <see cref="FileSystemSlotPool"/> through
/// its slot ids and <see cref="FileSystemOptions.PoolSize"/> (a pool that adds its own slots is ready while empty);
/// for a pool implementing <see cref="IHealthProbe"/> its probe; any other pool is Healthy with a note.
/// </summary>
internal sealed class SlotPoolHealthCheck(ISlotPool pool, IOptions<AgentRunnerHealthCheckOptions> options, IOptions<FileSystemOptions> files) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.RequireSlot)
        {
            return Task.FromResult(HealthCheckResult.Healthy("slots are not required"));
        }

        return pool switch
        {
            FileSystemSlotPool filePool => Task.FromResult(CountSlots(filePool, files.Value.PoolSize, context.Registration.FailureStatus)),
            IHealthProbe probe => ProbeRunner.ProbeAsync(probe, "slot pool", context.Registration.FailureStatus, options.Value.ProbeTimeout, cancellationToken),
            _ => Task.FromResult(HealthCheckResult.Healthy($"the slot pool ({pool.GetType().Name}) cannot be probed; assumed to have slots")),
        };
    }

    private static HealthCheckResult CountSlots(FileSystemSlotPool pool, int poolSize, HealthStatus failureStatus)
    {
        try
        {
            var count = pool.GetSlotIds().Count;
            return (count, poolSize) switch
            {
                ( > 0, _) => HealthCheckResult.Healthy($"the slot pool '{pool.RootPath}' has {count} slots"),
                (_, > 0) => HealthCheckResult.Healthy($"the slot pool '{pool.RootPath}' has no slots yet; it adds up to {poolSize} by itself"),
                _ => new HealthCheckResult(failureStatus, $"the slot pool '{pool.RootPath}' has no slots"),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HealthCheckResult(failureStatus, $"the slot pool '{pool.RootPath}' cannot be read: {ex.Message}");
        }
    }
}
