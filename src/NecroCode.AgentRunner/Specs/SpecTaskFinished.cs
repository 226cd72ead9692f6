namespace NecroCode.AgentRunner.Specs;

/// <summary>A task ended: ran, failed, was blocked by a failed dependency, or was found done or left out.</summary>
/// <param name="TaskId">The task's number.</param>
/// <param name="Result">What became of it.</param>
public sealed record SpecTaskFinished(string TaskId, SpecTaskResult Result) : SpecEvent(TaskId);
