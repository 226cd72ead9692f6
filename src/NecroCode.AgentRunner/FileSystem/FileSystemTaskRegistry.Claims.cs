using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemTaskRegistry
{
    private const string IdentitySuffix = ".identity";

    /// <inheritdoc />
    /// <remarks>
    /// Decided under the task's exclusive lock, so of several claims at once exactly one wins. A holder is
    /// alive while its registration (<c>runners/&lt;runner&gt;.json</c>) exists and, on this host, its process
    /// still runs (pid, process start and boot recorded at registration, so a reused pid is recognised). A
    /// holder registered on another host is always taken to be alive: its task stays held until its
    /// registration is removed. A task Running under a dead holder (a crashed runner) is taken over.
    /// </remarks>
    /// <exception cref="ArgumentException">The spec name, task id or runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record or the holder's registration is corrupt (the message names the file), or the lock could not be taken.</exception>
    public async Task<TaskClaim> TryClaimTaskAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        var path = TaskPath(task, ".json");
        using (await LockAsync(task, FileLockMode.Exclusive, cancellationToken).ConfigureAwait(false))
        {
            var current = await GuardAsync(path, () => ReadRecordAsync(task, path, cancellationToken)).ConfigureAwait(false);
            if (current is { State: TaskState.Running, RunnerId: { } holder } && !string.Equals(holder, runnerId, StringComparison.Ordinal))
            {
                var gone = await WhyGoneAsync(holder, cancellationToken).ConfigureAwait(false);
                if (gone is null)
                {
                    Log.ClaimRefused(_logger, task.ToString(), runnerId, holder);
                    return new TaskClaim(false, holder);
                }

                Log.TaskTakenOver(_logger, task.ToString(), runnerId, holder, gone);
            }

            await GuardAsync(path, async () =>
            {
                var now = _timeProvider.GetUtcNow();
                var claimed = (current ?? new TaskRecord(task, TaskState.Running, runnerId, now, [])) with
                {
                    State = TaskState.Running,
                    RunnerId = runnerId,
                    UpdatedAt = now,
                };
                await AtomicFile.WriteJsonAsync(path, claimed, RecordInfo, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            Log.TaskClaimed(_logger, task.ToString(), runnerId);
            return new TaskClaim(true);
        }
    }

    /// <inheritdoc />
    /// <remarks>A claim here lasts while its holder lives, so renewing it only confirms that the runner still holds the task.</remarks>
    /// <exception cref="ArgumentException">The spec name, task id or runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record is corrupt (the message names the file).</exception>
    public async Task<TaskClaim> RenewClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        var path = TaskPath(task, ".json");
        var current = await GuardAsync(path, () => ReadRecordAsync(task, path, cancellationToken)).ConfigureAwait(false);
        return current is { State: TaskState.Running } && string.Equals(current.RunnerId, runnerId, StringComparison.Ordinal)
            ? new TaskClaim(true)
            : new TaskClaim(false, current is { State: TaskState.Running } ? current.RunnerId : null);
    }

    /// <summary>Says why a runner is certainly gone, or null when it may still run.</summary>
    private async Task<string?> WhyGoneAsync(string runnerId, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = RunnerPath(runnerId, nameof(runnerId));
        }
        catch (ArgumentException)
        {
            return "its id cannot name a registration";
        }

        var registration = await GuardAsync(path, () => AtomicFile.ReadJsonAsync(path, RunnerInfo, cancellationToken)).ConfigureAwait(false);
        if (registration is null)
        {
            return "it is no longer registered";
        }

        if (!string.Equals(registration.Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return null;
        }

        var identity = await ReadIdentityAsync(Path.ChangeExtension(path, IdentitySuffix), cancellationToken).ConfigureAwait(false);
        if (identity is not null && identity.ProcessId == registration.ProcessId && string.Equals(identity.Host, registration.Host, StringComparison.Ordinal))
        {
            return identity.IsKnownDead() ? $"its process ({identity}) is gone" : null;
        }

        // Registered on behalf of another process: only the pid and the wall-clock start are known.
        if (ProcessLiveness.StartedAtUtc(registration.ProcessId) is not { } started)
        {
            return $"its process (pid {registration.ProcessId}) is gone";
        }

        return !ProcessLiveness.CanHaveRecorded(started, registration.StartedAt)
            ? $"pid {registration.ProcessId} now belongs to a process started at {started:O}, after the runner registered at {registration.StartedAt:O}"
            : null;
    }

    private static async Task<ProcessIdentity?> ReadIdentityAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var identity = await AtomicFile.ReadJsonAsync(path, FileSystemJsonContext.Default.ProcessIdentity, cancellationToken).ConfigureAwait(false);
            return identity is { Host: not null } ? identity : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Only an aid: without it the pid and the registration's start time decide.
            return null;
        }
    }
}
