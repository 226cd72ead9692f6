namespace NecroCode.AgentRunner;

/// <summary>Why a run failed.</summary>
/// <param name="Step">The step that failed.</param>
/// <param name="Message">A masked, human-readable reason.</param>
/// <param name="ExceptionType">The exception type, when an exception caused it.</param>
public sealed record RunError(string Step, string Message, string? ExceptionType = null);
