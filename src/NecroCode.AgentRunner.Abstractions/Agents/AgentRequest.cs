namespace NecroCode.AgentRunner;

/// <summary>What a coding agent is asked to do.</summary>
public sealed record AgentRequest
{
    /// <summary>The task.</summary>
    public required TaskContext Task { get; init; }

    /// <summary>The workspace the agent works in; its changes must stay inside it.</summary>
    public required string WorkspacePath { get; init; }

    /// <summary>The implementation prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>1 for the first attempt; higher for fix-loop attempts.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Where the agent publishes its output lines.</summary>
    public required IRunEventSink Events { get; init; }

    /// <summary>Name of the step the agent runs in, for its output events.</summary>
    public string StepName { get; init; } = "implement";

    /// <summary>
    /// The run's secrets, from which the agent takes the ones it is configured to receive (an API key, for instance).
    /// Default <see cref="RunSecrets.None"/>.
    /// </summary>
    public IRunSecrets Secrets { get; init; } = RunSecrets.None;

    /// <summary>
    /// What the attempt may spend; null when nothing is limited. An agent that reports its usage as it works stops
    /// when a figure crosses it (its wrap-up signal, a grace period, then its process tree) and says so in
    /// <see cref="AgentResult.BudgetExceeded"/>; the runner checks the figures again after the attempt either way.
    /// </summary>
    public AgentBudget? Budget { get; init; }
}
