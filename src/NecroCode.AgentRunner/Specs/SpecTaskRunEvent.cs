namespace NecroCode.AgentRunner.Specs;

/// <summary>An event of a task's run (step started, output line, retry …), as its run emitted it.</summary>
/// <param name="TaskId">The task's number.</param>
/// <param name="Event">The run's event.</param>
public sealed record SpecTaskRunEvent(string TaskId, RunEvent Event) : SpecEvent(TaskId);
