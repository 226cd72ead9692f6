using System.Globalization;

namespace NecroCode.AgentRunner.Budgets;

/// <summary>Spend in words and as registry fields.</summary>
internal static class SpendText
{
    /// <summary>The spend in words, e.g. <c>wall time 12.3 s, 3 turns, 1,234 input tokens, 567 output tokens, cost $0.12</c>; figures not reported are left out.</summary>
    /// <param name="spend">The spend.</param>
    /// <returns>The text.</returns>
    public static string Describe(AgentSpend spend)
    {
        ArgumentNullException.ThrowIfNull(spend);
        var parts = new List<string>();
        foreach (var measure in Enum.GetValues<BudgetMeasure>())
        {
            if (spend.Figure(measure) is { } figure)
            {
                var value = BudgetBreach.Format(measure, figure);
                parts.Add(measure is BudgetMeasure.WallTime or BudgetMeasure.CostUsd ? $"{BudgetBreach.Name(measure)} {value}" : $"{value} {BudgetBreach.Name(measure)}");
            }
        }

        return string.Join(", ", parts);
    }

    /// <summary>
    /// The spend of a run's attempts as registry event fields: per task <c>spend:wallTimeSeconds</c>, <c>spend:turns</c>,
    /// <c>spend:inputTokens</c>, <c>spend:outputTokens</c>, <c>spend:costUsd</c> (plain invariant numbers), per attempt
    /// <c>spend:attempt-N</c> in words, and <c>budgetExceeded</c> when an attempt crossed a budget.
    /// </summary>
    /// <param name="data">The fields to add to.</param>
    /// <param name="attempts">The run's attempts.</param>
    public static void AddFields(IDictionary<string, string> data, IReadOnlyList<ImplementationResult> attempts)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(attempts);
        if (attempts.Count == 0)
        {
            return;
        }

        var total = AgentSpend.Total(attempts);
        data["spend:wallTimeSeconds"] = total.WallTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        AddFigure(data, "spend:turns", total.Turns);
        AddFigure(data, "spend:inputTokens", total.InputTokens);
        AddFigure(data, "spend:outputTokens", total.OutputTokens);
        AddFigure(data, "spend:costUsd", total.CostUsd);
        foreach (var attempt in attempts)
        {
            data[string.Create(CultureInfo.InvariantCulture, $"spend:attempt-{attempt.Attempt}")] = Describe(attempt.Spend);
        }

        if (attempts.LastOrDefault(a => a.BudgetExceeded is not null)?.BudgetExceeded is { } breach)
        {
            data["budgetExceeded"] = breach.Description;
        }
    }

    private static void AddFigure<T>(IDictionary<string, string> data, string key, T? figure)
        where T : struct, IFormattable
    {
        if (figure is { } value)
        {
            data[key] = value.ToString(null, CultureInfo.InvariantCulture);
        }
    }
}
