namespace NecroCode.AgentRunner;

/// <summary>An artifact could not be stored or read.</summary>
/// <param name="message">What failed, naming the artifact.</param>
/// <param name="inner">The underlying exception, if any.</param>
/// <param name="isTransient">Whether retrying may succeed.</param>
public sealed class ArtifactStoreException(string message, Exception? inner = null, bool isTransient = false) : AgentRunnerException(message, inner)
{
    /// <inheritdoc />
    public override bool IsTransient { get; } = isTransient;
}
