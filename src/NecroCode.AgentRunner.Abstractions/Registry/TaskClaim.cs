namespace NecroCode.AgentRunner;

/// <summary>The answer to a claim of a task.</summary>
/// <param name="Claimed">Whether the runner now holds the task.</param>
/// <param name="HeldBy">When not claimed: the runner that holds it.</param>
public sealed record TaskClaim(bool Claimed, string? HeldBy = null);
