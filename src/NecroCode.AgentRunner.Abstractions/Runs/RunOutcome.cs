namespace NecroCode.AgentRunner;

/// <summary>How a run ended. Expected failures are outcomes, not exceptions.</summary>
public enum RunOutcome
{
    /// <summary>Tests passed, the branch is pushed and the task is Done.</summary>
    Succeeded,

    /// <summary>The task context was invalid; nothing was touched.</summary>
    InvalidTask,

    /// <summary>The coding agent failed, gave up, or changed nothing when a change was required.</summary>
    AgentFailed,

    /// <summary>The tests failed.</summary>
    TestsFailed,

    /// <summary>A custom playbook step failed.</summary>
    StepFailed,

    /// <summary>The branch could not be pushed.</summary>
    PushFailed,

    /// <summary>The task or a step ran out of time.</summary>
    TimedOut,

    /// <summary>The run was cancelled by its host.</summary>
    Cancelled,

    /// <summary>A policy refused the change (secret in the diff, path outside the allowed ones, protected branch).</summary>
    Refused,

    /// <summary>Another runner holds the task, its branch or its slot.</summary>
    Conflict,

    /// <summary>Infrastructure failed: workspace, registry, slot pool, artifact store or an unexpected error.</summary>
    InfrastructureError,

    /// <summary>A process of the run (agent, tests, a command) broke its memory or CPU time limit and was stopped.</summary>
    ResourceLimitExceeded,

    /// <summary>The agent crossed a budget (wall time, turns, tokens or cost, per attempt or per task), or the next attempt could not be afforded.</summary>
    BudgetExceeded,
}
