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

    /// <summary>A test run was compared with the baseline on the unchanged base; the data counts each class and names what fails the run.</summary>
    public const string TestsCompared = "TestsCompared";
}
