namespace NecroCode.AgentRunner;

/// <summary>Root of every exception the runner throws on purpose.</summary>
/// <param name="message">What went wrong.</param>
/// <param name="inner">The underlying exception, if any.</param>
public abstract class AgentRunnerException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether retrying the same operation may succeed (drives retry pipelines).</summary>
    public virtual bool IsTransient => false;
}
