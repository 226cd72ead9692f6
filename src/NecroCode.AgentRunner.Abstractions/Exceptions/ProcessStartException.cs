namespace NecroCode.AgentRunner;

/// <summary>A program could not be started (not found, not executable, bad working directory).</summary>
/// <param name="fileName">The program.</param>
/// <param name="reason">Why it could not start.</param>
/// <param name="inner">The underlying exception, if any.</param>
public sealed class ProcessStartException(string fileName, string reason, Exception? inner = null)
    : AgentRunnerException($"Could not start '{fileName}': {reason}", inner)
{
    /// <summary>The program that could not start.</summary>
    public string FileName { get; } = fileName;
}
