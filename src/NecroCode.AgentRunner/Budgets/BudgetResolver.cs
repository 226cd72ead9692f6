using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Budgets;

/// <summary>
/// A run's budgets: each figure from the task's <c>budgets</c>, else the playbook's, else the settings
/// (<see cref="BudgetOptions"/>); and the rule that keeps the fix loop from starting an attempt it cannot afford.
/// </summary>
internal sealed class BudgetResolver(IOptions<BudgetOptions> options)
{
    /// <summary>The limits of a task's run, the most specific source winning figure by figure.</summary>
    /// <param name="task">The task.</param>
    /// <param name="playbook">The playbook the run follows.</param>
    /// <returns>The attempt's and the task's limits.</returns>
    public (BudgetLimits Attempt, BudgetLimits Task) Limits(TaskContext task, Playbook playbook)
    {
        var settings = options.Value;
        return (
            (task.Budgets?.Attempt ?? new()).Or(playbook.Budgets?.Attempt).Or(settings.Attempt),
            (task.Budgets?.Task ?? new()).Or(playbook.Budgets?.Task).Or(settings.Task));
    }

    /// <summary>The budget of the next attempt, given what the task's earlier attempts spent.</summary>
    /// <param name="task">The task.</param>
    /// <param name="playbook">The playbook the run follows.</param>
    /// <param name="spentBefore">What the earlier attempts spent.</param>
    /// <returns>The attempt's budget.</returns>
    public AgentBudget For(TaskContext task, Playbook playbook, AgentSpend spentBefore)
    {
        var (attempt, total) = Limits(task, playbook);
        return new AgentBudget(attempt, total, spentBefore, options.Value.GracePeriod);
    }

    /// <summary>
    /// Why a further attempt cannot be afforded: a figure of the task's budget is used up, or less wall time is left
    /// of it than <see cref="BudgetOptions.MinimumAttemptWallTime"/>. Null when it can be (and always for a first attempt).
    /// </summary>
    /// <param name="budget">The next attempt's budget.</param>
    /// <returns>The task budget that refuses it, and why; or null.</returns>
    public (BudgetBreach Breach, string Reason)? Unaffordable(AgentBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var spent = budget.SpentBefore;
        if (spent == AgentSpend.None)
        {
            return null;
        }

        var minimum = options.Value.MinimumAttemptWallTime;
        foreach (var measure in Enum.GetValues<BudgetMeasure>())
        {
            if (budget.Task.Limit(measure) is not { } limit || spent.Figure(measure) is not { } figure)
            {
                continue;
            }

            var breach = new BudgetBreach(BudgetScope.Task, measure, figure, limit);
            if (figure >= limit)
            {
                return (breach, $"the task's budget is used up: {BudgetBreach.Name(measure)} {BudgetBreach.Format(measure, figure)} of {BudgetBreach.Format(measure, limit)} spent");
            }

            if (measure == BudgetMeasure.WallTime && limit - figure < (decimal)minimum.TotalSeconds)
            {
                return (breach, $"{BudgetBreach.Format(measure, limit - figure)} of the task's wall-time budget of {BudgetBreach.Format(measure, limit)} is left, less than the {BudgetBreach.Format(measure, (decimal)minimum.TotalSeconds)} one attempt needs ({BudgetOptions.SectionName}:{nameof(BudgetOptions.MinimumAttemptWallTime)})");
            }
        }

        return null;
    }
}
