namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// How the process of a run out of process ended, as the environment that ran it saw it (its engine, its cluster):
/// what <see cref="RemoteRunSettlement.SettleAsync"/> concludes the run from, together with what the runner printed.
/// </summary>
public sealed record RemoteRunEnd
{
    /// <summary>When the environment started working on the run (before its container or job was created).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The exit code of the runner's process (128 + n when signal n killed it).</summary>
    public long ExitCode { get; init; }

    /// <summary>Whether the kernel's OOM killer killed a process of the run.</summary>
    public bool OutOfMemory { get; init; }

    /// <summary>The memory limit of the run in bytes, when it had one (named in the out-of-memory reason).</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Whether the environment stopped the run because it ran past <see cref="Timeout"/>.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Whether the environment stopped the run because the host cancelled it.</summary>
    public bool Cancelled { get; init; }

    /// <summary>The longest the run was allowed to take.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>
    /// Why the environment ended the run, in its own words, when it knows better than the exit code (a cluster's reason:
    /// the pod evicted, its image not pulled …); it wins over <see cref="OutOfMemory"/> and the exit code. The outcome is
    /// <see cref="RunOutcome.TimedOut"/> with <see cref="TimedOut"/>, <see cref="RunOutcome.Cancelled"/> with
    /// <see cref="Cancelled"/>, else <see cref="RunOutcome.InfrastructureError"/>. Null (default): concluded from the rest.
    /// </summary>
    public RunError? Failure { get; init; }
}
