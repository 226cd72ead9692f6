namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>The final result an agent reported in its output.</summary>
/// <param name="Succeeded">Whether it reported success.</param>
/// <param name="Error">What it reported as the failure, when it failed.</param>
public sealed record AgentVerdict(bool Succeeded, string? Error = null);
