using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Docker;

public sealed partial class DockerExecutionEnvironment
{
    /// <summary>
    /// Copies the artifacts the runner inside stored into the host's store, and its registry entries
    /// (events, artifacts, final state) into the host's registry; returns the result with the host's URIs.
    /// </summary>
    private async Task<RunnerResult> ImportAsync(DockerJob job, TaskKey key, ContainerRun run, RunnerResult result, CancellationToken cancellationToken)
    {
        var uris = new Dictionary<string, string>(StringComparer.Ordinal);
        var artifacts = new List<ArtifactRecord>(result.Artifacts.Count);
        foreach (var artifact in result.Artifacts)
        {
            artifacts.Add(await ImportArtifactAsync(job, key, result.RunnerId, artifact, uris, cancellationToken).ConfigureAwait(false));
        }

        var innerRegistry = new FileSystemTaskRegistry(
            Options.Create(new FileSystemOptions { RootPath = job.StatePath }), _time, NullLogger<FileSystemTaskRegistry>.Instance);
        var innerEvents = run.Result is null && !Directory.Exists(Path.Combine(job.StatePath, "registry"))
            ? []
            : await innerRegistry.GetEventsAsync(key, cancellationToken).ConfigureAwait(false);
        var finished = false;
        foreach (var taskEvent in innerEvents)
        {
            if (taskEvent.Type is TaskEventTypes.TaskCompleted or TaskEventTypes.TaskFailed && !ReferenceEquals(result, run.Result))
            {
                continue;
            }

            finished |= taskEvent.Type is TaskEventTypes.TaskCompleted or TaskEventTypes.TaskFailed;
            var data = taskEvent.Data?.ToDictionary(p => p.Key, p => uris.TryGetValue(p.Value, out var host) ? host : p.Value, StringComparer.Ordinal);
            await _registry.AppendEventAsync(taskEvent with { Data = data }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var artifact in artifacts)
        {
            await _registry.AddArtifactAsync(key, artifact, cancellationToken).ConfigureAwait(false);
        }

        if (!finished)
        {
            var type = result.Succeeded ? TaskEventTypes.TaskCompleted : TaskEventTypes.TaskFailed;
            await _registry.AppendEventAsync(new TaskEvent(key, type, _time.GetUtcNow(), result.RunnerId, result.Error?.Message), cancellationToken).ConfigureAwait(false);
        }

        await _registry.SetTaskStateAsync(key, result.Succeeded ? TaskState.Done : TaskState.Failed, result.RunnerId, cancellationToken).ConfigureAwait(false);
        return result with { Artifacts = artifacts };
    }

    private async Task<ArtifactRecord> ImportArtifactAsync(DockerJob job, TaskKey key, string runnerId, ArtifactRecord artifact, Dictionary<string, string> uris, CancellationToken cancellationToken)
    {
        var source = artifact.Uri is { IsFile: true } uri ? job.ToHostPath(uri.LocalPath)
            : artifact.LocalPath is { } local ? job.ToHostPath(local)
            : null;
        if (source is null || !File.Exists(source))
        {
            return artifact with { Uri = null, LocalPath = null, Error = artifact.Error ?? "The artifact was not found in the container's job folder." };
        }

        try
        {
            var content = File.OpenRead(source);
            await using (content.ConfigureAwait(false))
            {
                var hostUri = await _artifacts.StoreAsync(new ArtifactKey(key, runnerId, artifact.Name), content, cancellationToken).ConfigureAwait(false);
                if (artifact.Uri is not null)
                {
                    uris[artifact.Uri.ToString()] = hostUri.ToString();
                    uris[artifact.Uri.OriginalString] = hostUri.ToString();
                }

                return artifact with { Uri = hostUri, LocalPath = null, Error = null };
            }
        }
        catch (ArtifactStoreException ex)
        {
            Log.ArtifactImportFailed(_logger, ex, artifact.Name, key.ToString());
            return artifact with { Uri = null, LocalPath = null, Error = ex.Message };
        }
    }
}
