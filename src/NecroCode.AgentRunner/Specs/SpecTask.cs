namespace NecroCode.AgentRunner.Specs;

/// <summary>One numbered task of a spec's <c>tasks.md</c>, as read.</summary>
public sealed record SpecTask
{
    /// <summary>The task's number, e.g. <c>2.1</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The title written after the number.</summary>
    public required string Title { get; init; }

    /// <summary>The line of its checkbox in <c>tasks.md</c> (1 = the first).</summary>
    public required int Line { get; init; }

    /// <summary>Its checkbox as written.</summary>
    public required SpecTaskStatus Status { get; init; }

    /// <summary>Written <c>- [ ]* …</c>: an optional task, left out of a run unless asked for.</summary>
    public required bool IsOptional { get; init; }

    /// <summary>The number of the task it is a sub-task of, when that task is numbered.</summary>
    public string? ParentId { get; init; }

    /// <summary>The numbers of its sub-tasks; a task with sub-tasks is done when its required sub-tasks are, and is not run itself.</summary>
    public IReadOnlyList<string> SubTasks { get; init; } = [];

    /// <summary>
    /// The tasks (without sub-tasks) it builds on: those its <c>_Depends_</c> line names (a parent stands for its
    /// sub-tasks), else the one before it in the document. Empty for a task with sub-tasks.
    /// </summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Whether <see cref="DependsOn"/> comes from a <c>_Depends_</c> line rather than the document order.</summary>
    public bool DependsExplicitly { get; init; }

    /// <summary>
    /// The task as the runner takes it: number, title, detail bullets and design context as description, the
    /// acceptance criteria its <c>_Requirements_</c> line names, and its dependencies.
    /// </summary>
    public required TaskContext Context { get; init; }

    /// <summary>Whether the task has sub-tasks (then it is not run itself).</summary>
    public bool IsGroup => SubTasks.Count > 0;
}
