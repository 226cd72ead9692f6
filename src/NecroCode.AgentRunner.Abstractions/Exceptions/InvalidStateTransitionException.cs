namespace NecroCode.AgentRunner;

/// <summary>A runner state transition that the state machine does not allow.</summary>
/// <param name="from">The current state.</param>
/// <param name="to">The refused target state.</param>
public sealed class InvalidStateTransitionException(RunnerState from, RunnerState to)
    : AgentRunnerException($"The runner cannot move from {from} to {to}.")
{
    /// <summary>The state the runner was in.</summary>
    public RunnerState From { get; } = from;

    /// <summary>The state that was refused.</summary>
    public RunnerState To { get; } = to;
}
