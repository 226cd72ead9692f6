namespace NecroCode.AgentRunner.Specs;

/// <summary>What became of a task in a spec run.</summary>
public enum SpecTaskOutcome
{
    /// <summary>It ran and is done: tests passed, branch pushed, ticked off.</summary>
    Succeeded,

    /// <summary>It was done before the run (ticked off, or recorded done by the registry); not run again.</summary>
    AlreadyDone,

    /// <summary>Left out: optional, or outside <c>--only</c>/<c>--from</c>.</summary>
    Skipped,

    /// <summary>It ran and failed (see the run's outcome).</summary>
    Failed,

    /// <summary>Not run: a task it depends on failed or was blocked.</summary>
    Blocked,

    /// <summary>The spec run was cancelled before the task ended; it stays marked in progress, to be resumed.</summary>
    Cancelled,
}
