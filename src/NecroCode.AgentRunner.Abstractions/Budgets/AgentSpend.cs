namespace NecroCode.AgentRunner;

/// <summary>What an agent spent: its wall time, and the turns, tokens and cost it reported (null when it reported none).</summary>
/// <param name="WallTime">How long it worked.</param>
/// <param name="Turns">Its turns, when reported.</param>
/// <param name="InputTokens">Input tokens (cached ones included), when reported.</param>
/// <param name="OutputTokens">Output tokens, when reported.</param>
/// <param name="CostUsd">Cost in US dollars, when reported.</param>
public sealed record AgentSpend(TimeSpan WallTime, int? Turns = null, long? InputTokens = null, long? OutputTokens = null, decimal? CostUsd = null)
{
    /// <summary>Nothing spent.</summary>
    public static AgentSpend None { get; } = new(TimeSpan.Zero);

    /// <summary>The spend of an attempt that took <paramref name="wallTime"/> and reported <paramref name="usage"/>.</summary>
    /// <param name="wallTime">How long it worked.</param>
    /// <param name="usage">What it reported, or null.</param>
    /// <returns>The spend.</returns>
    public static AgentSpend Of(TimeSpan wallTime, AgentUsage? usage) =>
        usage is null ? new(wallTime) : new(wallTime, usage.Turns, usage.InputTokens, usage.OutputTokens, usage.CostUsd);

    /// <summary>What <paramref name="attempts"/> spent together.</summary>
    /// <param name="attempts">The attempts.</param>
    /// <returns>The sum; <see cref="None"/> for no attempt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="attempts"/> is null.</exception>
    public static AgentSpend Total(IEnumerable<ImplementationResult> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        return attempts.Aggregate(None, (sum, attempt) => sum.Add(attempt.Spend));
    }

    /// <summary>Adds two spends; a figure is null only when both are.</summary>
    /// <param name="other">The other spend.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public AgentSpend Add(AgentSpend other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new AgentSpend(
            WallTime + other.WallTime,
            Sum(Turns, other.Turns),
            Sum(InputTokens, other.InputTokens),
            Sum(OutputTokens, other.OutputTokens),
            Sum(CostUsd, other.CostUsd));
    }

    /// <summary>The figure of <paramref name="measure"/> as a number (wall time in seconds), or null when not reported.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>The figure, or null.</returns>
    public decimal? Figure(BudgetMeasure measure) => measure switch
    {
        BudgetMeasure.WallTime => (decimal)WallTime.TotalSeconds,
        BudgetMeasure.Turns => Turns,
        BudgetMeasure.InputTokens => InputTokens,
        BudgetMeasure.OutputTokens => OutputTokens,
        BudgetMeasure.CostUsd => CostUsd,
        _ => null,
    };

    private static int? Sum(int? a, int? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);

    private static long? Sum(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);

    private static decimal? Sum(decimal? a, decimal? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}
