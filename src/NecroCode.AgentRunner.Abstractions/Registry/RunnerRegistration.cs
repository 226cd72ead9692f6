namespace NecroCode.AgentRunner;

/// <summary>A runner, as registered in the task registry.</summary>
/// <param name="RunnerId">The runner's unique id.</param>
/// <param name="Task">The task it runs.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="ProcessId">Its process id.</param>
/// <param name="StartedAt">When it started.</param>
public sealed record RunnerRegistration(string RunnerId, TaskKey Task, string Host, int ProcessId, DateTimeOffset StartedAt);
