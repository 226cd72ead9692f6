namespace NecroCode.AgentRunner;

/// <summary>The answer to a claim of a task (or to the renewal of one).</summary>
/// <remarks>
/// A claim is a lease. A registry shared by several machines gives it an <see cref="ExpiresAt"/>: the holder renews it
/// (<see cref="ITaskRegistry.RenewClaimAsync"/>) well before then, and once it has expired another runner may take the
/// task over, after which the old holder's writes are refused with <see cref="ClaimLostException"/>. A registry that
/// can see whether a holder's process still runs (one machine) may leave <see cref="ExpiresAt"/> null: the claim then
/// lasts while the holder lives.
/// </remarks>
/// <param name="Claimed">Whether the runner now holds the task.</param>
/// <param name="HeldBy">When not claimed: the runner that holds it, when known.</param>
/// <param name="Fence">
/// The fencing number of the claim: it grows with every claim of the task, so of two runners that both believe they
/// hold it, the one with the smaller number is the one whose writes the registry refuses. 0 when not claimed.
/// </param>
/// <param name="ExpiresAt">When the lease ends unless renewed; null when the claim lasts while its holder lives.</param>
public sealed record TaskClaim(bool Claimed, string? HeldBy = null, long Fence = 0, DateTimeOffset? ExpiresAt = null);
