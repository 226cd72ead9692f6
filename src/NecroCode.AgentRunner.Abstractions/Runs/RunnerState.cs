namespace NecroCode.AgentRunner;

/// <summary>States of a runner: Idle → Running → Completed | Failed.</summary>
public enum RunnerState
{
    /// <summary>Created; nothing has happened yet.</summary>
    Idle,

    /// <summary>Working on its task.</summary>
    Running,

    /// <summary>Finished; the task is done and its branch pushed.</summary>
    Completed,

    /// <summary>Finished without completing the task (validation, agent, tests, push, timeout, cancellation or error).</summary>
    Failed,
}
