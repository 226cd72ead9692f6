namespace NecroCode.AgentRunner;

/// <summary>An artifact of a run: stored (with a URI), or kept locally after a failed upload.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">Its file name, e.g. <c>diff.patch</c>.</param>
/// <param name="Uri">Where the artifact store keeps it; null when the upload failed.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its content.</param>
/// <param name="LocalPath">Where it was kept on this machine when the upload failed.</param>
/// <param name="Error">Why the upload failed, when it did.</param>
public sealed record ArtifactRecord(
    ArtifactKind Kind,
    string Name,
    Uri? Uri,
    long Size,
    string Sha256,
    string? LocalPath = null,
    string? Error = null)
{
    /// <summary>Whether the artifact store holds it.</summary>
    public bool Stored => Uri is not null;
}
