namespace NecroCode.AgentRunner.Specs;

/// <summary>A task's run started (or resumed), on its branch, from the branch it is stacked on when it is.</summary>
/// <param name="TaskId">The task's number.</param>
/// <param name="Branch">The task's branch.</param>
/// <param name="BaseBranch">The dependency's branch it starts from; null when it starts from the main branch.</param>
/// <param name="BaseCommit">The commit of <paramref name="BaseBranch"/> it starts at.</param>
/// <param name="Resumed">Whether a killed run of the task is being resumed.</param>
public sealed record SpecTaskStarted(string TaskId, string Branch, string? BaseBranch, string? BaseCommit, bool Resumed) : SpecEvent(TaskId);
