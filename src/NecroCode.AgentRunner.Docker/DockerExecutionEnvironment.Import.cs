using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Docker;

public sealed partial class DockerExecutionEnvironment
{
    /// <summary>
    /// Settles a finished container run on the host: checks what the container reported (nothing it wrote is
    /// trusted), copies its artifacts into the host's store and its registry entries into the host's registry,
    /// writes the final state and publishes the one <see cref="RunFinished"/>; returns the result with the host's URIs.
    /// </summary>
    private async Task<RunnerResult> ImportAsync(DockerJob job, TaskKey key, ExecutionRequest request, ContainerRun run, RunnerResult result, CancellationToken cancellationToken)
    {
        // The remote is asked while the registry and the artifacts are copied out: the network round trip overlaps
        // the disk work. Its answer is awaited before anything final is written.
        var remoteCheck = result.Succeeded ? StartRemoteCheck(request.Task, result, cancellationToken) : null;
        try
        {
            var inner = await ReadInnerRegistryAsync(job, key, cancellationToken).ConfigureAwait(false);
            result = result with { TaskId = request.Task.TaskId, SpecName = request.Task.SpecName, RunnerId = SafeRunnerId(result.RunnerId) };
            var uris = new Dictionary<string, string>(StringComparer.Ordinal);
            var artifacts = new List<ArtifactRecord>(result.Artifacts.Count);
            foreach (var artifact in result.Artifacts)
            {
                artifacts.Add(await ImportArtifactAsync(job, key, result.RunnerId, artifact, uris, cancellationToken).ConfigureAwait(false));
            }

            if (result.Succeeded && await RefusalAsync(request.Task, run, result, inner, remoteCheck).ConfigureAwait(false) is { } refusal)
            {
                Log.ResultRefused(_logger, key.ToString(), refusal);
                result = result with
                {
                    Outcome = RunOutcome.Refused,
                    State = RunnerState.Failed,
                    Error = new RunError("container", $"The container reported success, but {refusal}; the task is not marked Done.", "UnverifiedResult"),
                };
            }

            // The container's runner claimed the branch in its own registry; the host's registry is the one other
            // tasks are checked against, so the claim is recorded here as well.
            if (result.Succeeded && result.Branch is { Length: > 0 } branch
                && await _registry.TryClaimBranchAsync(branch, key, result.RunnerId, cancellationToken).ConfigureAwait(false) is { } claim
                && !claim.IsOwnedBy(key))
            {
                result = result with
                {
                    Outcome = RunOutcome.Conflict,
                    State = RunnerState.Failed,
                    Error = new RunError("push", $"The branch '{branch}' belongs to task {claim.Owner}, which pushed it first (runner {claim.RunnerId}); the task is not marked Done.", nameof(TaskConflictException)),
                };
            }

            foreach (var taskEvent in inner.Events.Where(e => e.Task == key && e.Type is not (TaskEventTypes.TaskCompleted or TaskEventTypes.TaskFailed)))
            {
                var data = taskEvent.Data?.ToDictionary(p => p.Key, p => uris.TryGetValue(p.Value, out var host) ? host : Mask(p.Value), StringComparer.Ordinal);
                await _registry.AppendEventAsync(taskEvent with { Message = taskEvent.Message is { } text ? Mask(text) : null, Data = data }, cancellationToken).ConfigureAwait(false);
            }

            foreach (var artifact in artifacts)
            {
                await _registry.AddArtifactAsync(key, artifact, cancellationToken).ConfigureAwait(false);
            }

            // The terminal event is the host's own, as local mode writes it, never one the container wrote.
            var type = result.Succeeded ? TaskEventTypes.TaskCompleted : TaskEventTypes.TaskFailed;
            var message = result.Succeeded ? $"Pushed {result.Branch} at {result.CommitId}." : result.Error?.Message;
            await _registry.AppendEventAsync(new TaskEvent(key, type, _time.GetUtcNow(), result.RunnerId, message, TerminalData(result, artifacts)), cancellationToken).ConfigureAwait(false);
            await _registry.SetTaskStateAsync(key, result.Succeeded ? TaskState.Done : TaskState.Failed, result.RunnerId, cancellationToken).ConfigureAwait(false);
            request.Events.Publish(new RunFinished(result.Outcome, result.Duration, result.Error?.Message) { RunnerId = result.RunnerId });
            return result with { Artifacts = artifacts };
        }
        catch (Exception ex) when (ex is RegistryException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            var message = $"The container's results for {key} could not be settled on the host: {ex.Message}";
            await MarkFailedAsync(key, message).ConfigureAwait(false);
            throw new ExecutionEnvironmentException(message, ex);
        }
        finally
        {
            // Observed (and its credentials wiped) even when settling failed before its answer was needed.
            if (remoteCheck is not null)
            {
                await ObserveAsync(remoteCheck).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for a remote check whose answer is no longer needed, or whose failure was already reported.</summary>
    private static async Task ObserveAsync(Task<string?> remoteCheck)
    {
        try
        {
            await remoteCheck.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or OperationCanceledException)
        {
            // Either reported by the settling it belongs to, or moot because settling failed first.
        }
    }

    /// <summary>
    /// Starts the remote's confirmation of a reported push (<see cref="DockerOptions.VerifyPush"/>) when the report
    /// names a slot, a valid branch, commit and remote; null otherwise (<see cref="RefusalAsync"/> then says why).
    /// </summary>
    private Task<string?>? StartRemoteCheck(TaskContext task, RunnerResult result, CancellationToken cancellationToken)
    {
        if (!_options.VerifyPush || string.IsNullOrEmpty(task.SlotPath)
            || result.Branch is not { } branch || !GitRefName.IsValidBranchName(branch) || result.CommitId is not { } commit || !IsCommitId(commit)
            || result.Push is not { } push || !IsRemoteName(push.Remote))
        {
            return null;
        }

        return RemoteRefusalAsync(task.SlotPath, push.Remote, branch, commit, cancellationToken);
    }

    /// <summary>Why a reported success is not believed, or null when the origin and the container's registry confirm it.</summary>
    private async Task<string?> RefusalAsync(TaskContext task, ContainerRun run, RunnerResult result, InnerRegistry inner, Task<string?>? remoteCheck)
    {
        if (run.ResultLines != 1)
        {
            return $"its output held {run.ResultLines} result lines where the runner writes one, so it was forged";
        }

        if (inner.Problem is { } problem)
        {
            return problem;
        }

        if (inner.Record?.State != TaskState.Done || !inner.Events.Any(e => e.Type == TaskEventTypes.TaskCompleted))
        {
            return "the registry it wrote does not show the task Done";
        }

        if (result.Branch is not { } branch || !GitRefName.IsValidBranchName(branch) || result.CommitId is not { } commit || !IsCommitId(commit))
        {
            return "it named no valid branch and commit";
        }

        if (task.BranchName is { Length: > 0 } expected && !string.Equals(expected, branch, StringComparison.Ordinal))
        {
            return $"it named the branch '{branch}', not the task's '{expected}'";
        }

        if (result.Push is not { Succeeded: true } push || push.Branch != branch || !string.Equals(push.CommitId, commit, StringComparison.OrdinalIgnoreCase))
        {
            return "its push result does not match its branch and commit";
        }

        if (!_options.VerifyPush)
        {
            return null;
        }

        if (string.IsNullOrEmpty(task.SlotPath))
        {
            return "the host has no slot of the task to ask the remote from (set NecroCode:Docker:VerifyPush to false to trust the container's report)";
        }

        if (!IsRemoteName(push.Remote))
        {
            return $"it named the remote '{push.Remote}', which is not a remote name";
        }

        return remoteCheck is null ? "the remote was not asked" : await remoteCheck.ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the task's record and events from the registry the runner inside wrote, through copies made
    /// without following links and within <see cref="DockerOptions.MaxImportBytes"/>.
    /// </summary>
    private async Task<InnerRegistry> ReadInnerRegistryAsync(DockerJob job, TaskKey key, CancellationToken cancellationToken)
    {
        var copy = Directory.CreateTempSubdirectory("necrocode-import-");
        try
        {
            var folder = Path.Combine(copy.FullName, "tasks", key.SpecName);
            Directory.CreateDirectory(folder);
            foreach (var suffix in new[] { ".json", ".events.jsonl" })
            {
                var stream = job.OpenInside(["state", "registry", "tasks", key.SpecName, key.TaskId + suffix], _options.MaxImportBytes, out var refusal);
                if (stream is null)
                {
                    if (refusal is not null)
                    {
                        return new InnerRegistry(null, [], $"its registry file '{key.TaskId + suffix}' was refused: {refusal}");
                    }

                    continue;
                }

                await using (stream.ConfigureAwait(false))
                {
                    var target = new FileStream(Path.Combine(folder, key.TaskId + suffix), FileMode.CreateNew, FileAccess.Write);
                    await using (target.ConfigureAwait(false))
                    {
                        await stream.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var registry = new FileSystemTaskRegistry(
                Options.Create(new FileSystemOptions { RootPath = copy.FullName, RegistryPath = copy.FullName }), _time, NullLogger<FileSystemTaskRegistry>.Instance);
            try
            {
                var record = await registry.GetTaskAsync(key, cancellationToken).ConfigureAwait(false);
                var events = await registry.GetEventsAsync(key, cancellationToken).ConfigureAwait(false);
                return new InnerRegistry(record, events, null);
            }
            catch (RegistryException ex)
            {
                return new InnerRegistry(null, [], $"its registry could not be read ({ex.Message})");
            }
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private async Task<ArtifactRecord> ImportArtifactAsync(DockerJob job, TaskKey key, string runnerId, ArtifactRecord artifact, Dictionary<string, string> uris, CancellationToken cancellationToken)
    {
        var containerPath = artifact.Uri is { IsAbsoluteUri: true, IsFile: true } uri ? uri.LocalPath : artifact.LocalPath;
        if (containerPath is null)
        {
            return artifact with { Uri = null, LocalPath = null, Error = artifact.Error ?? "The artifact was not found in the container's job folder." };
        }

        var content = job.OpenFromContainer(containerPath, _options.MaxImportBytes, out var refusal);
        if (content is null)
        {
            Log.ArtifactRefused(_logger, artifact.Name, key.ToString(), refusal!);
            return artifact with { Uri = null, LocalPath = null, Error = $"The artifact was not imported from the container: {refusal}." };
        }

        try
        {
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
        catch (Exception ex) when (ex is ArtifactStoreException or ArgumentException)
        {
            Log.ArtifactImportFailed(_logger, ex, artifact.Name, key.ToString());
            return artifact with { Uri = null, LocalPath = null, Error = ex.Message };
        }
    }

    private static Dictionary<string, string> TerminalData(RunnerResult result, List<ArtifactRecord> artifacts)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["outcome"] = result.Outcome.ToString() };
        if (result.Branch is not null)
        {
            data["branch"] = result.Branch;
        }

        if (result.CommitId is not null)
        {
            data["commit"] = result.CommitId;
        }

        foreach (var artifact in artifacts.Where(a => a.Uri is not null))
        {
            data["artifact:" + artifact.Name] = artifact.Uri!.ToString();
        }

        return data;
    }

    /// <summary>The container's runner id when it is a plain name; the host's otherwise.</summary>
    private string SafeRunnerId(string? reported) =>
        reported is { Length: > 0 and <= 128 } id && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? id : _options.RunnerId;

    private string Mask(string text) => _masker is null ? text : _masker.Apply(text);

    private static bool IsCommitId(string value) =>
        value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);

    private static bool IsRemoteName(string value) =>
        value.Length is > 0 and <= 100 && value[0] != '-' && value[0] != '.' && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The task's record and events as the runner inside wrote them, or why they were refused.</summary>
    private sealed record InnerRegistry(TaskRecord? Record, IReadOnlyList<TaskEvent> Events, string? Problem);
}
