namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>Where a task comes from: a task file (named in every problem it has) or a task built in code.</summary>
/// <param name="Name">What problems name: the task file's path, or a description of the task.</param>
/// <param name="Load">Reads and validates the task.</param>
internal sealed record TaskSource(string Name, Func<CancellationToken, Task<TaskContext>> Load);
