using System.Globalization;

namespace NecroCode.AgentRunner;

/// <summary>A budget an agent crossed (or could not afford), with the figure that crossed it.</summary>
/// <param name="Scope">Whether the attempt's or the task's budget was crossed.</param>
/// <param name="Measure">What was crossed.</param>
/// <param name="Spent">The figure spent (wall time in seconds; for the task, every attempt together).</param>
/// <param name="Limit">The budget (wall time in seconds).</param>
public sealed record BudgetBreach(BudgetScope Scope, BudgetMeasure Measure, decimal Spent, decimal Limit)
{
    /// <summary>The breach in words, e.g. <c>output tokens 12,345 &gt; budget 10,000 (per attempt)</c>.</summary>
    public string Description =>
        $"{Name(Measure)} {Format(Measure, Spent)} {(Measure == BudgetMeasure.WallTime ? "≥" : ">")} budget {Format(Measure, Limit)} ({(Scope == BudgetScope.Task ? "per task" : "per attempt")})";

    /// <summary>The name of <paramref name="measure"/> in messages, e.g. <c>output tokens</c>.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>The name.</returns>
    public static string Name(BudgetMeasure measure) => measure switch
    {
        BudgetMeasure.WallTime => "wall time",
        BudgetMeasure.Turns => "turns",
        BudgetMeasure.InputTokens => "input tokens",
        BudgetMeasure.OutputTokens => "output tokens",
        BudgetMeasure.CostUsd => "cost",
        _ => measure.ToString(),
    };

    /// <summary>A figure of <paramref name="measure"/> in messages: <c>12,345</c>, <c>$1.25</c> or <c>90 s</c>.</summary>
    /// <param name="measure">The measure.</param>
    /// <param name="value">The figure (wall time in seconds).</param>
    /// <returns>The text.</returns>
    public static string Format(BudgetMeasure measure, decimal value) => measure switch
    {
        BudgetMeasure.WallTime => string.Create(CultureInfo.InvariantCulture, $"{value:#,0.#} s"),
        BudgetMeasure.CostUsd => string.Create(CultureInfo.InvariantCulture, $"${value:#,0.00##}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value:#,0}"),
    };
}
