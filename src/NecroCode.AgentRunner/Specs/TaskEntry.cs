namespace NecroCode.AgentRunner.Specs;

/// <summary>One checkbox item of <c>tasks.md</c> as written: number, title, checkbox, details and references.</summary>
internal sealed class TaskEntry
{
    /// <summary>The task's number (<c>2.1</c>), or null for an unnumbered group heading.</summary>
    public required string? Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The checkbox line (1 = the first).</summary>
    public required int Line { get; init; }

    public required int Indent { get; init; }

    public required SpecTaskStatus Status { get; init; }

    /// <summary>Written <c>- [ ]* 1.2 Title</c>: the task may be left out.</summary>
    public required bool IsOptional { get; init; }

    public TaskEntry? Parent { get; set; }

    public List<TaskEntry> Children { get; } = [];

    /// <summary>The detail bullets, without their bullet, in order.</summary>
    public List<string> Details { get; } = [];

    /// <summary>The requirement references of the <c>_Requirements_</c> line, with that line.</summary>
    public List<(string Id, int Line)> Requirements { get; } = [];

    /// <summary>The <c>_Depends_</c> line: null when absent (the task depends on the one before it), else the ids (empty for none).</summary>
    public List<(string Id, int Line)>? Depends { get; set; }

    /// <summary>Whether the task is carried out itself (it has no sub-tasks).</summary>
    public bool IsLeaf => Children.Count == 0;
}
