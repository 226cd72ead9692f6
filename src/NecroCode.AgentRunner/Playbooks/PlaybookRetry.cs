namespace NecroCode.AgentRunner.Playbooks;

/// <summary>How often a failed step is tried again, and how long to wait in between.</summary>
/// <param name="Count">Extra attempts after the first, 0 to <see cref="MaxCount"/>.</param>
/// <param name="Backoff">The wait before the first retry; it doubles with each further retry.</param>
public sealed record PlaybookRetry(int Count, TimeSpan Backoff)
{
    /// <summary>The most retries a step may ask for: 10.</summary>
    public const int MaxCount = 10;

    /// <summary>The longest initial backoff a step may ask for: 10 minutes.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    /// <summary>The backoff when a step gives none: 1 second.</summary>
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(1);

    /// <summary>No retry.</summary>
    public static PlaybookRetry None { get; } = new(0, DefaultBackoff);
}
