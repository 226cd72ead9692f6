namespace NecroCode.AgentRunner;

/// <summary>How a coding agent's attempt ended. The runner inspects the workspace itself for the changes.</summary>
/// <param name="Succeeded">Whether the agent reported success.</param>
/// <param name="ExitCode">The agent process's exit code, when it ran as a process.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="TimedOut">Whether it was stopped for running out of time.</param>
public sealed record AgentResult(bool Succeeded, int? ExitCode, string? Error = null, bool TimedOut = false)
{
    /// <summary>Tokens and cost the agent reported for the attempt, when it reports them.</summary>
    public AgentUsage? Usage { get; init; }

    /// <summary>Whether its process was stopped for breaking a memory or CPU time limit (the reason is in <see cref="Error"/>).</summary>
    public bool LimitExceeded { get; init; }

    /// <summary>The budget the attempt crossed, when it was stopped for crossing one (or crossed one by its end).</summary>
    public BudgetBreach? BudgetExceeded { get; init; }
}
