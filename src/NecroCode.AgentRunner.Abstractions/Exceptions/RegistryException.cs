namespace NecroCode.AgentRunner;

/// <summary>The task registry could not be read or written (e.g. a corrupt file, named in the message).</summary>
/// <param name="message">What failed, naming the file or endpoint.</param>
/// <param name="inner">The underlying exception, if any.</param>
/// <param name="isTransient">Whether retrying may succeed.</param>
public sealed class RegistryException(string message, Exception? inner = null, bool isTransient = false) : AgentRunnerException(message, inner)
{
    /// <inheritdoc />
    public override bool IsTransient { get; } = isTransient;
}
