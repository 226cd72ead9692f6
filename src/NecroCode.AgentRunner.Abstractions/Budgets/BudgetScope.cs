namespace NecroCode.AgentRunner;

/// <summary>What a budget is counted over.</summary>
public enum BudgetScope
{
    /// <summary>One agent attempt (the first, or one fix attempt).</summary>
    Attempt,

    /// <summary>Every agent attempt of the task's run together.</summary>
    Task,
}
