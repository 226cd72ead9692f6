namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>How a command-line agent's attempt ended, with what it reported about itself.</summary>
/// <param name="Result">The result the runner acts on.</param>
/// <param name="Usage">Tokens and cost, when the agent reported them.</param>
/// <param name="Summary">The agent's own final message (e.g. Claude Code's <c>result</c>), when it gave one.</param>
public sealed record AgentRunReport(AgentResult Result, AgentUsage? Usage, string? Summary = null);
