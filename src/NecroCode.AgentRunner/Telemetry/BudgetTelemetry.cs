using System.Diagnostics.Metrics;

namespace NecroCode.AgentRunner.Telemetry;

/// <summary>
/// What agents spend, per attempt and per task, and the budgets they cross, on the product meter. Every spend
/// instrument is tagged <c>scope</c> (<c>attempt</c> or <c>task</c>); a figure the agent did not report is not recorded.
/// </summary>
internal static class BudgetTelemetry
{
    /// <summary>Agent wall time.</summary>
    public static readonly Histogram<double> WallTime =
        AgentRunnerTelemetry.Meter.CreateHistogram<double>("agentrunner.spend.wall_time", "s", "Agent wall time, per attempt and per task.");

    /// <summary>Agent turns.</summary>
    public static readonly Histogram<long> Turns =
        AgentRunnerTelemetry.Meter.CreateHistogram<long>("agentrunner.spend.turns", "{turn}", "Agent turns, per attempt and per task.");

    /// <summary>Agent tokens, tagged <c>kind</c> (<c>input</c> or <c>output</c>).</summary>
    public static readonly Histogram<long> Tokens =
        AgentRunnerTelemetry.Meter.CreateHistogram<long>("agentrunner.spend.tokens", "{token}", "Agent tokens, per attempt and per task, by kind.");

    /// <summary>Agent cost in US dollars.</summary>
    public static readonly Histogram<double> Cost =
        AgentRunnerTelemetry.Meter.CreateHistogram<double>("agentrunner.spend.cost", "USD", "Agent cost, per attempt and per task.");

    /// <summary>Budgets crossed, tagged <c>scope</c> and <c>measure</c> (<c>wall_time</c>, <c>turns</c>, <c>input_tokens</c>, <c>output_tokens</c>, <c>cost_usd</c>).</summary>
    public static readonly Counter<long> BudgetsExceeded =
        AgentRunnerTelemetry.Meter.CreateCounter<long>("agentrunner.budget.exceeded", "{breach}", "Budgets crossed by agents (or attempts not started for want of budget), by scope and measure.");

    /// <summary>Records a spend.</summary>
    /// <param name="scope">Whether it is one attempt's or the whole task's.</param>
    /// <param name="spend">The spend.</param>
    public static void Record(BudgetScope scope, AgentSpend spend)
    {
        var tag = Scope(scope);
        WallTime.Record(spend.WallTime.TotalSeconds, tag);
        if (spend.Turns is { } turns)
        {
            Turns.Record(turns, tag);
        }

        if (spend.InputTokens is { } input)
        {
            Tokens.Record(input, tag, new KeyValuePair<string, object?>("kind", "input"));
        }

        if (spend.OutputTokens is { } output)
        {
            Tokens.Record(output, tag, new KeyValuePair<string, object?>("kind", "output"));
        }

        if (spend.CostUsd is { } cost)
        {
            Cost.Record((double)cost, tag);
        }
    }

    /// <summary>Counts a budget crossed.</summary>
    /// <param name="breach">The breach.</param>
    public static void Exceeded(BudgetBreach breach) =>
        BudgetsExceeded.Add(1, Scope(breach.Scope), new KeyValuePair<string, object?>("measure", MeasureTag(breach.Measure)));

    private static KeyValuePair<string, object?> Scope(BudgetScope scope) => new("scope", scope == BudgetScope.Task ? "task" : "attempt");

    private static string MeasureTag(BudgetMeasure measure) => measure switch
    {
        BudgetMeasure.WallTime => "wall_time",
        BudgetMeasure.Turns => "turns",
        BudgetMeasure.InputTokens => "input_tokens",
        BudgetMeasure.OutputTokens => "output_tokens",
        _ => "cost_usd",
    };
}
