namespace NecroCode.AgentRunner;

/// <summary>No workspace slot could be acquired; critical, never retried by the runner.</summary>
/// <param name="message">Why, naming the pool and slot.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class SlotUnavailableException(string message, Exception? inner = null) : AgentRunnerException(message, inner);
