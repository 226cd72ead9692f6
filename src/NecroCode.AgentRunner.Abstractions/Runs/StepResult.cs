namespace NecroCode.AgentRunner;

/// <summary>The record of one step of a run.</summary>
/// <param name="Name">The step's name, e.g. <c>test</c>.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Message">A masked reason when it did not succeed.</param>
public sealed record StepResult(string Name, StepOutcome Outcome, TimeSpan Duration, string? Message = null)
{
    /// <summary>The highest peak resident memory of the process trees the step ran; null when it ran none (or none was measured).</summary>
    public long? PeakMemoryBytes { get; init; }

    /// <summary>The CPU time of the process trees the step ran together; null when it ran none (or none was measured).</summary>
    public TimeSpan? CpuTime { get; init; }

    /// <summary>
    /// How many output lines of the step's confined processes reported an operation the sandbox refused ("Permission
    /// denied", "Read-only file system"): a write outside the workspace, a hidden file, a refused connection. 0 when none.
    /// </summary>
    public int SandboxRefusals { get; init; }
}
