namespace NecroCode.AgentRunner;

/// <summary>Input of <see cref="IPromptBuilder"/>.</summary>
/// <param name="Task">The task.</param>
/// <param name="WorkspacePath">The workspace the agent works in.</param>
/// <param name="TestCommands">The commands that will judge the work (may be empty when detected later).</param>
/// <param name="Attempt">1 for the first attempt; higher for fix attempts.</param>
/// <param name="PreviousFailure">For fix attempts: the (masked, trimmed) output of the failing tests.</param>
public sealed record PromptRequest(TaskContext Task, string WorkspacePath, IReadOnlyList<string> TestCommands, int Attempt = 1, string? PreviousFailure = null);
