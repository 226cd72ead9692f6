namespace NecroCode.AgentRunner;

/// <summary>Why a child process (its whole tree) ended.</summary>
public enum ProcessStopReason
{
    /// <summary>The root process exited by itself.</summary>
    Exited,

    /// <summary>It ran past its timeout and was stopped.</summary>
    TimedOut,

    /// <summary>The caller cancelled and it was stopped.</summary>
    Cancelled,

    /// <summary>The tree used more resident memory than allowed and was stopped.</summary>
    MemoryLimitExceeded,

    /// <summary>The tree used more CPU time than allowed and was stopped.</summary>
    CpuTimeLimitExceeded,

    /// <summary>It was asked to wrap up (<see cref="ProcessSpec.WrapUp"/>), did not exit within its grace period, and was stopped.</summary>
    WrapUpExpired,
}
