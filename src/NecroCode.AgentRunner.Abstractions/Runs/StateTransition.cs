namespace NecroCode.AgentRunner;

/// <summary>One timestamped runner state transition.</summary>
/// <param name="From">The previous state.</param>
/// <param name="To">The new state.</param>
/// <param name="At">When it happened.</param>
/// <param name="Reason">Why, when known (e.g. the failure).</param>
public sealed record StateTransition(RunnerState From, RunnerState To, DateTimeOffset At, string? Reason = null);
