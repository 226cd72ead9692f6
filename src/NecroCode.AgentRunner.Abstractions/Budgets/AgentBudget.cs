namespace NecroCode.AgentRunner;

/// <summary>
/// What one agent attempt may spend: its own limits, and the task's limits less what the task's earlier attempts
/// spent. An agent that reads it stops when a figure crosses a budget — first its wrap-up signal, then, after
/// <see cref="GracePeriod"/>, its process tree.
/// </summary>
/// <param name="Attempt">The attempt's limits.</param>
/// <param name="Task">The task's limits (every attempt together).</param>
/// <param name="SpentBefore">What the task's earlier attempts spent.</param>
/// <param name="GracePeriod">How long the agent has to stop cleanly after its wrap-up signal.</param>
public sealed record AgentBudget(BudgetLimits Attempt, BudgetLimits Task, AgentSpend SpentBefore, TimeSpan GracePeriod)
{
    /// <summary>Whether any figure is limited.</summary>
    public bool IsLimited => !Attempt.IsEmpty || !Task.IsEmpty;

    /// <summary>How long the attempt may work: the shorter of its own wall time and what is left of the task's; null when neither is set.</summary>
    public TimeSpan? WallTimeLeft
    {
        get
        {
            TimeSpan? left = Task.WallTime is { } task ? task - SpentBefore.WallTime : null;
            var own = Attempt.WallTime;
            var shorter = left is { } l && own is { } o ? (l < o ? l : o) : left ?? own;
            return shorter is { } s && s < TimeSpan.Zero ? TimeSpan.Zero : shorter;
        }
    }

    /// <summary>The first budget the attempt crossed with what it spent so far, or null when it is within all of them.</summary>
    /// <param name="attempt">What the attempt spent so far.</param>
    /// <returns>The breach (the attempt's budgets are checked before the task's), or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="attempt"/> is null.</exception>
    public BudgetBreach? Check(AgentSpend attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Crossed(BudgetScope.Attempt, Attempt, attempt) ?? Crossed(BudgetScope.Task, Task, SpentBefore.Add(attempt));
    }

    private static BudgetBreach? Crossed(BudgetScope scope, BudgetLimits limits, AgentSpend spent)
    {
        foreach (var measure in Enum.GetValues<BudgetMeasure>())
        {
            if (limits.Limit(measure) is not { } limit || spent.Figure(measure) is not { } figure)
            {
                continue;
            }

            // Time reaches its budget; counts cross it.
            if (measure == BudgetMeasure.WallTime ? figure >= limit : figure > limit)
            {
                return new BudgetBreach(scope, measure, figure, limit);
            }
        }

        return null;
    }
}
