namespace NecroCode.AgentRunner;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">Its exit code; null when it was stopped.</param>
/// <param name="TimedOut">Whether it was stopped for running past its timeout.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="StandardOutput">The (masked) end of its standard output.</param>
/// <param name="StandardError">The (masked) end of its standard error.</param>
public sealed record ProcessResult(int? ExitCode, bool TimedOut, TimeSpan Duration, string StandardOutput, string StandardError)
{
    /// <summary>Whether it exited by itself with code 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>Peak resident memory of its process tree in bytes, when measured.</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>CPU time used by its process tree (its reaped children included), when measured.</summary>
    public TimeSpan? CpuTime { get; init; }

    /// <summary>Why it ended: it exited by itself, or the runner stopped it (timeout, a resource limit).</summary>
    public ProcessStopReason StopReason { get; init; } = ProcessStopReason.Exited;

    /// <summary>
    /// A sentence saying why the runner stopped it, e.g. <c>memory limit of 256 MiB exceeded: the process tree used
    /// 301 MiB; it was stopped.</c>; null when it exited by itself.
    /// </summary>
    public string? StopMessage { get; init; }

    /// <summary>Whether the runner stopped it for breaking a memory or CPU time limit.</summary>
    public bool LimitExceeded => StopReason is ProcessStopReason.MemoryLimitExceeded or ProcessStopReason.CpuTimeLimitExceeded;
}
