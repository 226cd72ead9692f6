namespace NecroCode.AgentRunner;

/// <summary>The event types the runner records in the task registry.</summary>
public static class TaskEventTypes
{
    /// <summary>A runner took the task.</summary>
    public const string TaskStarted = "TaskStarted";

    /// <summary>The task is done; its branch is pushed.</summary>
    public const string TaskCompleted = "TaskCompleted";

    /// <summary>The run failed.</summary>
    public const string TaskFailed = "TaskFailed";

    /// <summary>An artifact was stored.</summary>
    public const string ArtifactStored = "ArtifactStored";
}
