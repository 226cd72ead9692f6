using System.Globalization;

namespace NecroCode.AgentRunner.Playbooks;

internal sealed partial class PlaybookReader
{
    private static readonly string[] BudgetScopeKeys = ["attempt", "task"];

    private static readonly string[] BudgetLimitKeys = ["wall-time", "turns", "input-tokens", "output-tokens", "cost-usd"];

    /// <summary>Reads <c>budgets: { attempt: {...}, task: {...} }</c>; null when absent.</summary>
    private TaskBudgets? ReadBudgets(string file, YamlMapping mapping)
    {
        if (Find(mapping, "budgets") is not { } node || node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YamlMapping budgets)
        {
            Error(file, node, "budgets is a mapping with 'attempt' and/or 'task' limits.");
            return null;
        }

        CheckKeys(file, budgets, BudgetScopeKeys, "budgets");
        return new TaskBudgets
        {
            Attempt = Find(budgets, "attempt") is { } attempt ? ReadLimits(file, attempt, "budgets.attempt") : null,
            Task = Find(budgets, "task") is { } task ? ReadLimits(file, task, "budgets.task") : null,
        };
    }

    private BudgetLimits? ReadLimits(string file, YamlNode node, string what)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is not YamlMapping limits)
        {
            Error(file, node, $"{what} is a mapping of limits: {string.Join(", ", BudgetLimitKeys)}.");
            return null;
        }

        CheckKeys(file, limits, BudgetLimitKeys, what);
        return new BudgetLimits
        {
            WallTime = Find(limits, "wall-time") is { } wallTime ? ReadDuration(file, wallTime, $"{what}.wall-time", TimeSpan.Zero, TaskContextValidator.MaxTimeout, allowZero: false) : null,
            Turns = (int?)ReadLimit(file, limits, "turns", what, int.MaxValue, whole: true),
            InputTokens = (long?)ReadLimit(file, limits, "input-tokens", what, long.MaxValue, whole: true),
            OutputTokens = (long?)ReadLimit(file, limits, "output-tokens", what, long.MaxValue, whole: true),
            CostUsd = ReadLimit(file, limits, "cost-usd", what, 1_000_000m, whole: false),
        };
    }

    private decimal? ReadLimit(string file, YamlMapping limits, string key, string what, decimal max, bool whole)
    {
        if (Find(limits, key) is not { } node || Scalar(file, node, $"{what}.{key}") is not { } text)
        {
            return null;
        }

        var style = whole ? NumberStyles.Integer : NumberStyles.AllowDecimalPoint;
        if (!decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > max)
        {
            Error(file, node, $"{what}.{key} '{Shorten(text)}' must be {(whole ? "a whole number" : "a number (US dollars)")} more than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return value;
    }
}
