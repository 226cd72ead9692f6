namespace NecroCode.AgentRunner;

/// <summary>Outcome of a test command or a whole test run.</summary>
public enum TestOutcome
{
    /// <summary>Exited with code 0.</summary>
    Passed,

    /// <summary>Exited with a non-zero code.</summary>
    Failed,

    /// <summary>Ran out of time and was stopped.</summary>
    TimedOut,

    /// <summary>Not run (an earlier command failed with fail-fast, or no command).</summary>
    Skipped,

    /// <summary>Could not be started.</summary>
    Error,

    /// <summary>Stopped for breaking its memory or CPU time limit (not a test failure: no fix is asked for).</summary>
    LimitExceeded,
}
