namespace NecroCode.AgentRunner;

/// <summary>What a run of a task would do, as <see cref="IAgentRunner.CheckAsync"/> found it.</summary>
/// <param name="Task">The task.</param>
/// <param name="Branch">The branch the run creates and pushes.</param>
/// <param name="Playbook">The name of the playbook the run follows (<c>default</c> for the built-in pipeline).</param>
/// <param name="Steps">The names of the playbook's top-level steps, in order.</param>
public sealed record TaskPlan(TaskKey Task, string Branch, string Playbook, IReadOnlyList<string> Steps);
