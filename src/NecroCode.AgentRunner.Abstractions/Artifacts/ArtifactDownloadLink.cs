namespace NecroCode.AgentRunner;

/// <summary>A time-limited link that downloads a stored artifact without access to the store.</summary>
/// <param name="Uri">The link (for example an https URL with a signature in its query).</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ArtifactDownloadLink(Uri Uri, DateTimeOffset ExpiresAt);
