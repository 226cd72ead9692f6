using System.Globalization;
using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner;

/// <summary>
/// Limits on what an agent may spend, per attempt or per task; a null figure sets no limit of its own. The same shape
/// is read from the settings (<c>NecroCode:Budgets</c>), a playbook's <c>budgets</c> and a task's <c>budgets</c>.
/// </summary>
public sealed record BudgetLimits
{
    /// <summary>Longest the agent may work.</summary>
    public TimeSpan? WallTime { get; set; }

    /// <summary>Most turns the agent may take.</summary>
    public int? Turns { get; set; }

    /// <summary>Most input tokens the agent may use (cached ones included).</summary>
    public long? InputTokens { get; set; }

    /// <summary>Most output tokens the agent may produce.</summary>
    public long? OutputTokens { get; set; }

    /// <summary>Most the agent may cost, in US dollars.</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>Whether no figure is set.</summary>
    [JsonIgnore]
    public bool IsEmpty => WallTime is null && Turns is null && InputTokens is null && OutputTokens is null && CostUsd is null;

    /// <summary>Each figure of these limits, or <paramref name="fallback"/>'s where this one sets none.</summary>
    /// <param name="fallback">The less specific limits, or null.</param>
    /// <returns>The merged limits (a new instance).</returns>
    public BudgetLimits Or(BudgetLimits? fallback) => new()
    {
        WallTime = WallTime ?? fallback?.WallTime,
        Turns = Turns ?? fallback?.Turns,
        InputTokens = InputTokens ?? fallback?.InputTokens,
        OutputTokens = OutputTokens ?? fallback?.OutputTokens,
        CostUsd = CostUsd ?? fallback?.CostUsd,
    };

    /// <summary>The limit on <paramref name="measure"/> as a number (wall time in seconds), or null when none is set.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>The limit, or null.</returns>
    public decimal? Limit(BudgetMeasure measure) => measure switch
    {
        BudgetMeasure.WallTime => WallTime is { } time ? (decimal)time.TotalSeconds : null,
        BudgetMeasure.Turns => Turns,
        BudgetMeasure.InputTokens => InputTokens,
        BudgetMeasure.OutputTokens => OutputTokens,
        BudgetMeasure.CostUsd => CostUsd,
        _ => null,
    };

    /// <summary>What is wrong with the figures: each must be more than zero.</summary>
    /// <returns>The measure and the problem of each invalid figure; empty when all are valid.</returns>
    public IReadOnlyList<(BudgetMeasure Measure, string Problem)> Problems()
    {
        var problems = new List<(BudgetMeasure, string)>();
        foreach (var measure in Enum.GetValues<BudgetMeasure>())
        {
            if (Limit(measure) is { } limit && limit <= 0)
            {
                var shown = measure == BudgetMeasure.WallTime ? WallTime!.Value.ToString("c", CultureInfo.InvariantCulture) : limit.ToString(CultureInfo.InvariantCulture);
                problems.Add((measure, $"must be more than 0; was {shown}."));
            }
        }

        return problems;
    }
}
