namespace NecroCode.AgentRunner.Specs;

/// <summary>One task of a spec and what a run does with it.</summary>
/// <param name="Task">The task.</param>
/// <param name="Action">What the run does with it.</param>
public sealed record SpecPlanItem(SpecTask Task, SpecPlanAction Action)
{
    /// <summary>Its branch: the one a run creates, or the one an earlier run pushed.</summary>
    public string? Branch { get; init; }

    /// <summary>The commit an earlier run pushed, for a done task.</summary>
    public string? CommitId { get; init; }

    /// <summary>
    /// The tasks it waits for in this run: <see cref="SpecTask.DependsOn"/>, where an optional task left out stands
    /// for the tasks it depends on itself (so the document order still holds across it).
    /// </summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Why the task is skipped or counted done.</summary>
    public string? Reason { get; init; }
}
