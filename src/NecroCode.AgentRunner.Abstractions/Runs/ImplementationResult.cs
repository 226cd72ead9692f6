namespace NecroCode.AgentRunner;

/// <summary>What the coding agent did.</summary>
/// <param name="Succeeded">Whether the agent reported success.</param>
/// <param name="ExitCode">The agent process's exit code, when it ran as a process.</param>
/// <param name="Duration">How long the agent worked.</param>
/// <param name="Error">A masked reason when it failed.</param>
/// <param name="Attempt">1 for the first attempt; higher for fix-loop attempts.</param>
public sealed record ImplementationResult(bool Succeeded, int? ExitCode, TimeSpan Duration, string? Error = null, int Attempt = 1)
{
    /// <summary>Tokens and cost the agent reported for the attempt, when it reports them.</summary>
    public AgentUsage? Usage { get; init; }

    /// <summary>The budget the attempt crossed, or could not afford (then it was not started), when it did.</summary>
    public BudgetBreach? BudgetExceeded { get; init; }

    /// <summary>What the attempt spent: its duration and the turns, tokens and cost the agent reported.</summary>
    public AgentSpend Spend => AgentSpend.Of(Duration, Usage);
}
