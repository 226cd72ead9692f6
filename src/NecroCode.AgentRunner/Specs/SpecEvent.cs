namespace NecroCode.AgentRunner.Specs;

/// <summary>Something that happened to one task of a spec run.</summary>
/// <param name="TaskId">The task's number.</param>
public abstract record SpecEvent(string TaskId);
