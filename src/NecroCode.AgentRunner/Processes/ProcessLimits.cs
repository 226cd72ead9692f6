namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Resource limits for one call of <see cref="ProcessRunner"/>, overriding those of
/// <see cref="ProcessRunnerOptions"/> (a per-step limit until <see cref="ProcessSpec"/> carries one).
/// </summary>
/// <param name="MemoryLimitBytes">Resident memory the tree may use; null: the options' limit.</param>
/// <param name="CpuTimeLimit">CPU time the tree may use; null: the options' limit.</param>
internal sealed record ProcessLimits(long? MemoryLimitBytes = null, TimeSpan? CpuTimeLimit = null);

/// <summary>Why a process tree ended.</summary>
internal enum ProcessStopReason
{
    /// <summary>The root process exited by itself.</summary>
    Exited,

    /// <summary>It ran past its timeout.</summary>
    TimedOut,

    /// <summary>The caller cancelled.</summary>
    Cancelled,

    /// <summary>The tree used more memory than allowed.</summary>
    MemoryLimitExceeded,

    /// <summary>The tree used more CPU time than allowed.</summary>
    CpuTimeLimitExceeded,
}

/// <summary>The result of a process together with why it ended.</summary>
/// <param name="Result">The public result.</param>
/// <param name="StopReason">Why it ended.</param>
/// <param name="StopMessage">A sentence saying why it was stopped; null when it exited by itself.</param>
internal sealed record ProcessRun(ProcessResult Result, ProcessStopReason StopReason, string? StopMessage);
