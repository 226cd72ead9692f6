namespace NecroCode.AgentRunner;

/// <summary>State of a task in the task registry.</summary>
public enum TaskState
{
    /// <summary>Known but not started.</summary>
    Pending,

    /// <summary>A runner is working on it.</summary>
    Running,

    /// <summary>Implemented, tested and pushed.</summary>
    Done,

    /// <summary>The last run failed.</summary>
    Failed,
}
