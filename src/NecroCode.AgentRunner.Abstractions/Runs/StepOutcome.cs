namespace NecroCode.AgentRunner;

/// <summary>How one pipeline step ended.</summary>
public enum StepOutcome
{
    /// <summary>The step did its work.</summary>
    Succeeded,

    /// <summary>The step failed; the run fails unless the step may continue on error.</summary>
    Failed,

    /// <summary>The step was not run (condition false, or an earlier step failed).</summary>
    Skipped,

    /// <summary>The step ran out of time.</summary>
    TimedOut,

    /// <summary>The step was cancelled.</summary>
    Cancelled,
}
