namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// A resumed run reuses the killed run's runner id, so the registry's claim cannot tell the two apart: resuming is
/// refused while the process that registered that id may still run (this host: it runs; another host: unknown).
/// </summary>
internal sealed class ResumeGuard(ITaskRegistry registry)
{
    /// <summary>Refuses to resume <paramref name="task"/> while its runner <paramref name="runnerId"/> may still run.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner id of the killed run.</param>
    /// <param name="cancellationToken">Cancels asking the registry.</param>
    /// <returns>A task that completes when the earlier runner is gone.</returns>
    /// <exception cref="TaskConflictException">The earlier runner still runs, or runs on another host.</exception>
    public async Task EnsureGoneAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        var runners = await registry.GetRunnersAsync(cancellationToken).ConfigureAwait(false);
        if (runners.FirstOrDefault(r => r.RunnerId == runnerId) is not { } earlier || earlier.ProcessId == Environment.ProcessId)
        {
            return;
        }

        if (!string.Equals(earlier.Host, Environment.MachineName, StringComparison.Ordinal))
        {
            throw new TaskConflictException($"Task {task} cannot be resumed here: its runner {runnerId} runs on host {earlier.Host} (pid {earlier.ProcessId}). Resume it there.", runnerId);
        }

        if (Posix.ProcessLiveness.MayBeRunning(earlier.ProcessId, earlier.StartedAt))
        {
            throw new TaskConflictException($"Task {task} cannot be resumed: its runner {runnerId} still runs (pid {earlier.ProcessId}).", runnerId);
        }
    }
}
