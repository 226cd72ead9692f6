using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Health;

/// <summary>
/// The artifact store is reachable: for <see cref="FileSystemArtifactStore"/> its folder exists and a probe file
/// can be created in it (and is removed again); for a store implementing <see cref="IHealthProbe"/> its probe;
/// any other store is reported Healthy with a note that it was not probed.
/// </summary>
internal sealed class ArtifactStoreHealthCheck(IArtifactStore store, IOptions<AgentRunnerHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => store switch
    {
        FileSystemArtifactStore files => Task.FromResult(ProbeFolder(files.RootPath, context.Registration.FailureStatus)),
        IHealthProbe probe => ProbeRunner.ProbeAsync(probe, "artifact store", context.Registration.FailureStatus, options.Value.ProbeTimeout, cancellationToken),
        _ => Task.FromResult(HealthCheckResult.Healthy($"the artifact store ({store.GetType().Name}) cannot be probed; assumed reachable")),
    };

    /// <summary>Whether <paramref name="folder"/> exists and a file can be created in it.</summary>
    internal static HealthCheckResult ProbeFolder(string folder, HealthStatus failureStatus)
    {
        if (!Directory.Exists(folder))
        {
            return new HealthCheckResult(failureStatus, $"the artifact folder '{folder}' does not exist");
        }

        var probe = Path.Combine(folder, ".health-" + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: false);
            }

            return HealthCheckResult.Healthy($"the artifact folder '{folder}' is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HealthCheckResult(failureStatus, $"the artifact folder '{folder}' is not writable: {ex.Message}");
        }
        finally
        {
            // DeleteOnClose removes it; this catches the case where the write failed after the create.
            TryDelete(probe);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing was created, or it cannot be removed; the check's answer stands.
        }
    }
}
