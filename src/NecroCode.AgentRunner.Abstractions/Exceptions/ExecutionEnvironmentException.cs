namespace NecroCode.AgentRunner;

/// <summary>An execution environment failed to run a task (engine unreachable, image missing, container killed …).</summary>
/// <param name="message">What failed, naming the environment.</param>
/// <param name="inner">The underlying exception, if any.</param>
/// <param name="isTransient">Whether retrying may succeed.</param>
public class ExecutionEnvironmentException(string message, Exception? inner = null, bool isTransient = false) : AgentRunnerException(message, inner)
{
    /// <inheritdoc />
    public override bool IsTransient { get; } = isTransient;
}
