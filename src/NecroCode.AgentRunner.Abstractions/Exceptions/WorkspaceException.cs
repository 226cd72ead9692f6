namespace NecroCode.AgentRunner;

/// <summary>A git or workspace operation failed.</summary>
/// <param name="message">What went wrong, naming the operation and workspace.</param>
/// <param name="inner">The underlying exception, if any.</param>
/// <param name="isTransient">Whether retrying may succeed (network errors).</param>
public class WorkspaceException(string message, Exception? inner = null, bool isTransient = false) : AgentRunnerException(message, inner)
{
    /// <inheritdoc />
    public override bool IsTransient { get; } = isTransient;
}
