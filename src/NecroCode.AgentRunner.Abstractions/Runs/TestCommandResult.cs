namespace NecroCode.AgentRunner;

/// <summary>Result of one test command.</summary>
/// <param name="Command">The command line as run.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">Its exit code; null when it did not exit by itself.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="StandardOutput">Masked standard output (the tail, when longer than the configured capture limit).</param>
/// <param name="StandardError">Masked standard error (the tail, when longer than the configured capture limit).</param>
public sealed record TestCommandResult(
    string Command,
    TestOutcome Outcome,
    int? ExitCode,
    TimeSpan Duration,
    string StandardOutput,
    string StandardError)
{
    /// <summary>Why the runner stopped it (timeout, a broken memory or CPU time limit); null when it exited by itself.</summary>
    public string? StopMessage { get; init; }
}
