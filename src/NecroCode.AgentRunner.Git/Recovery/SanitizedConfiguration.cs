namespace NecroCode.AgentRunner.Git;

/// <summary>What <see cref="SlotConfiguration.SanitizeAsync"/> did and read.</summary>
/// <param name="Removed">The removed keys, and the removed files as <c>.git/…</c> paths; empty for a clean slot.</param>
/// <param name="Listing">
/// The effective configuration in the form of <see cref="SlotSnapshot.EffectiveConfig"/>, when nothing was removed and
/// no configuration file includes another (so the listing cannot depend on the branch checked out); otherwise null.
/// </param>
/// <param name="Config">The slot's <c>.git/config</c> as it was listed, with <paramref name="Listing"/>; otherwise null.</param>
internal sealed record SanitizedConfiguration(IReadOnlyList<string> Removed, string? Listing, byte[]? Config);
