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

    /// <summary>
    /// Whether a file can be created in <paramref name="folder"/>; on a fresh root, where the store has not created its
    /// folder yet, whether it can be created: a file can be created in the nearest folder above it that exists.
    /// </summary>
    internal static HealthCheckResult ProbeFolder(string folder, HealthStatus failureStatus)
    {
        if (!Directory.Exists(folder))
        {
            var existing = NearestExistingAncestor(folder);
            if (existing is null)
            {
                return new HealthCheckResult(failureStatus, $"the artifact folder '{folder}' does not exist and no folder above it does");
            }

            var parent = ProbeWritable(existing, failureStatus, $"the artifact folder '{folder}' does not exist yet and '{existing}'");
            return parent.Status == HealthStatus.Healthy
                ? HealthCheckResult.Healthy($"the artifact folder '{folder}' does not exist yet; it is created on the first artifact, in '{existing}', which is writable")
                : parent;
        }

        return ProbeWritable(folder, failureStatus, $"the artifact folder '{folder}'");
    }

    private static string? NearestExistingAncestor(string folder)
    {
        for (var parent = Path.GetDirectoryName(Path.GetFullPath(folder)); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                return parent;
            }
        }

        return null;
    }

    /// <summary>Whether a file can be created (and is removed again) in the existing <paramref name="folder"/>.</summary>
    private static HealthCheckResult ProbeWritable(string folder, HealthStatus failureStatus, string described)
    {
        var probe = Path.Combine(folder, ".health-" + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: false);
            }

            return HealthCheckResult.Healthy($"{described} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HealthCheckResult(failureStatus, $"{described} is not writable: {ex.Message}");
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
