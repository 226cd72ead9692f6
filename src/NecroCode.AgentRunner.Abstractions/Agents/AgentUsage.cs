namespace NecroCode.AgentRunner;

/// <summary>Tokens and cost an agent reported for one attempt.</summary>
/// <param name="InputTokens">Input (prompt) tokens, including cached ones.</param>
/// <param name="OutputTokens">Output (completion) tokens.</param>
/// <param name="CachedInputTokens">The part of <paramref name="InputTokens"/> served from a cache, when reported.</param>
/// <param name="CostUsd">The cost in US dollars, when the agent reports it.</param>
public sealed record AgentUsage(long InputTokens, long OutputTokens, long? CachedInputTokens = null, decimal? CostUsd = null)
{
    /// <summary>The agent's turns (model round trips), when it reports them.</summary>
    public int? Turns { get; init; }

    /// <summary>Adds two reports (e.g. of two turns).</summary>
    /// <param name="other">The other report.</param>
    /// <returns>The sum; a figure is null only when both are.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public AgentUsage Add(AgentUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new AgentUsage(
            InputTokens + other.InputTokens,
            OutputTokens + other.OutputTokens,
            CachedInputTokens is null && other.CachedInputTokens is null ? null : (CachedInputTokens ?? 0) + (other.CachedInputTokens ?? 0),
            CostUsd is null && other.CostUsd is null ? null : (CostUsd ?? 0) + (other.CostUsd ?? 0))
        {
            Turns = Turns is null && other.Turns is null ? null : (Turns ?? 0) + (other.Turns ?? 0),
        };
    }
}
