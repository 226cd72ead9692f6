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
    /// registration is removed. A task Running under a dead holder (a crashed runner) is taken over. Claims last
    /// while their holder lives: <see cref="TaskClaim.ExpiresAt"/> is null.
    /// </remarks>
    /// <exception cref="ArgumentException">The spec name, task id or runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record or the holder's registration is corrupt (the message names the file), or the lock could not be taken.</exception>
    public async Task<TaskClaim> TryClaimTaskAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        using (await LockAsync(task, FileLockMode.Exclusive, cancellationToken).ConfigureAwait(false))
        {
            return await ClaimLockedAsync(task, runnerId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>A claim here lasts while its holder lives, so renewing it confirms that the runner still holds the task and is alive.</remarks>
    /// <exception cref="ArgumentException">The spec name, task id or runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record is corrupt (the message names the file).</exception>
    public async Task<TaskClaim> RenewClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        var path = TaskPath(task, ".json");
        var current = await GuardAsync(path, () => StoredTask.ReadAsync(task, path, cancellationToken)).ConfigureAwait(false);
        if (current?.HeldBy is not { } holder)
        {
            return new TaskClaim(false);
        }

        if (!string.Equals(holder, runnerId, StringComparison.Ordinal))
        {
            return new TaskClaim(false, holder);
        }

        return await WhyGoneAsync(runnerId, cancellationToken).ConfigureAwait(false) is null
            ? new TaskClaim(true, null, current.Fence)
            : new TaskClaim(false);
    }

    /// <summary>Claims the task under its lock (held by the caller): the claim of <see cref="TryClaimTaskAsync"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The claiming runner.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <param name="claimable">Decides, from the task's current record, whether it may be claimed at all; any when null.</param>
    /// <returns>The claim; not claimed when another live runner holds the task (or <paramref name="claimable"/> said no).</returns>
    internal async Task<TaskClaim> ClaimLockedAsync(TaskKey task, string runnerId, CancellationToken cancellationToken, Func<TaskRecord?, bool>? claimable = null)
    {
        var path = TaskPath(task, ".json");
        var current = await GuardAsync(path, () => StoredTask.ReadAsync(task, path, cancellationToken)).ConfigureAwait(false);
        if (claimable is not null && !claimable(current?.Record))
        {
            return new TaskClaim(false, current?.HeldBy);
        }

        // A task set Running without a claim (a state written directly) is held by its runner as well.
        var holder = current?.HeldBy ?? (current?.Record is { State: TaskState.Running, RunnerId: { } runner } ? runner : null);
        if (holder is not null && !string.Equals(holder, runnerId, StringComparison.Ordinal))
        {
            var gone = await WhyGoneAsync(holder, cancellationToken).ConfigureAwait(false);
            if (gone is null)
            {
                Log.ClaimRefused(_logger, task.ToString(), runnerId, holder);
                return new TaskClaim(false, holder);
            }

            Log.TaskTakenOver(_logger, task.ToString(), runnerId, holder, gone);
        }

        var now = _timeProvider.GetUtcNow();
        var fence = (current?.Fence ?? 0) + 1;
        var record = (current?.Record ?? new TaskRecord(task, TaskState.Running, runnerId, now, [])) with { State = TaskState.Running, RunnerId = runnerId, UpdatedAt = now };
        await GuardAsync(path, () => new StoredTask(record, runnerId, fence).WriteAsync(path, cancellationToken)).ConfigureAwait(false);
        Log.TaskClaimed(_logger, task.ToString(), runnerId);
        return new TaskClaim(true, null, fence);
    }

    /// <summary>
    /// Refuses a write about a held task by anyone but its holder, and by the holder once it is no longer registered
    /// (its claim lapsed). A holder that is gone holds nothing: others may write.
    /// </summary>
    private async Task EnsureMayWriteAsync(TaskKey task, StoredTask? current, string writer, string what, CancellationToken cancellationToken)
    {
        if (current?.HeldBy is not { } holder)
        {
            return;
        }

        if (string.Equals(holder, writer, StringComparison.Ordinal))
        {
            EnsureHolds(task, current, writer, what);
            return;
        }

        if (await WhyGoneAsync(holder, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        Log.WriteRefused(_logger, task.ToString(), writer, $"runner {holder} holds the task");
        throw new ClaimLostException($"Runner {writer} may not {what}: runner {holder} holds the task.", task, writer, holder);
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
