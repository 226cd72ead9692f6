namespace NecroCode.AgentRunner;

/// <summary>Budgets of a task's agent: per attempt and per task (every attempt together). Each figure set here wins over a less specific source.</summary>
public sealed record TaskBudgets
{
    /// <summary>Limits on one attempt, or null.</summary>
    public BudgetLimits? Attempt { get; init; }

    /// <summary>Limits on every attempt of the task together, or null.</summary>
    public BudgetLimits? Task { get; init; }
}
