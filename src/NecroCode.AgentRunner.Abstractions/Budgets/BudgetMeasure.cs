namespace NecroCode.AgentRunner;

/// <summary>What a budget limits.</summary>
public enum BudgetMeasure
{
    /// <summary>The time the agent works (its wall-clock time).</summary>
    WallTime,

    /// <summary>The agent's turns (model round trips), as the agent reports them.</summary>
    Turns,

    /// <summary>Input (prompt) tokens, including cached ones.</summary>
    InputTokens,

    /// <summary>Output (completion) tokens.</summary>
    OutputTokens,

    /// <summary>Cost in US dollars, as the agent reports it.</summary>
    CostUsd,
}
