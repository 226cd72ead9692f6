namespace NecroCode.AgentRunner.Specs;

/// <summary>What a spec run did with every task.</summary>
/// <param name="SpecName">The spec's name.</param>
/// <param name="Tasks">Every task without sub-tasks, in document order.</param>
public sealed record SpecRunResult(string SpecName, IReadOnlyList<SpecTaskResult> Tasks)
{
    /// <summary>Whether no task failed, was blocked or cancelled.</summary>
    public bool Succeeded => Tasks.All(t => t.Outcome is SpecTaskOutcome.Succeeded or SpecTaskOutcome.AlreadyDone or SpecTaskOutcome.Skipped);
}
