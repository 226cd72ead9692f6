namespace NecroCode.AgentRunner;

/// <summary>Identifies a task across specs: spec name and task id.</summary>
/// <param name="SpecName">The spec the task belongs to.</param>
/// <param name="TaskId">The task's id within the spec.</param>
public readonly record struct TaskKey(string SpecName, string TaskId)
{
    /// <summary>The key of <paramref name="task"/>.</summary>
    /// <param name="task">A task context.</param>
    /// <returns>Its key.</returns>
    public static TaskKey Of(TaskContext task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.SpecName, task.TaskId);
    }

    /// <summary>Returns <c>spec/task</c>.</summary>
    /// <returns>The key as text.</returns>
    public override string ToString() => $"{SpecName}/{TaskId}";
}
