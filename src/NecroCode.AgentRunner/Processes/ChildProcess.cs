namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// One started child: its pid, its three pipes and its exit. Started either natively with <c>posix_spawn</c>
/// (<see cref="SpawnedChildProcess"/>, as the leader of a new session) or through <see cref="System.Diagnostics.Process"/>
/// (<see cref="ManagedChildProcess"/>, optionally behind a session wrapper).
/// </summary>
internal abstract class ChildProcess : IDisposable
{
    /// <summary>The child's process id.</summary>
    public abstract int Id { get; }

    /// <summary>Whether the child leads its own session and process group (signals can go to the group).</summary>
    public abstract bool LeadsGroup { get; }

    /// <summary>The write end of the child's standard input.</summary>
    public abstract Stream StandardInput { get; }

    /// <summary>The read end of the child's standard output.</summary>
    public abstract Stream StandardOutput { get; }

    /// <summary>The read end of the child's standard error.</summary>
    public abstract Stream StandardError { get; }

    /// <summary>Whether the child has exited and was reaped.</summary>
    public abstract bool HasExited { get; }

    /// <summary>The exit code; 128 + the signal number when a signal ended it. Valid once <see cref="HasExited"/>.</summary>
    public abstract int ExitCode { get; }

    /// <summary>Once exited: the largest resident set of the child and the descendants it waited for, when known.</summary>
    public virtual long? PeakResidentBytes => null;

    /// <summary>Once exited: the CPU time of the child and the descendants it waited for, when known.</summary>
    public virtual TimeSpan? CpuTime => null;

    /// <summary>Completes when the child has exited.</summary>
    /// <param name="cancellationToken">Stops waiting (the child goes on).</param>
    /// <returns>A task.</returns>
    public abstract Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Closes the parent's ends of the pipes.</summary>
    public abstract void Dispose();
}
