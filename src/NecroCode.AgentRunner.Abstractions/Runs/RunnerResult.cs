namespace NecroCode.AgentRunner;

/// <summary>The run summary: what a runner did with one task.</summary>
public sealed record RunnerResult
{
    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The spec the task belongs to.</summary>
    public required string SpecName { get; init; }

    /// <summary>The runner's unique id.</summary>
    public required string RunnerId { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>The runner's final state: Completed or Failed.</summary>
    public required RunnerState State { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration => FinishedAt - StartedAt;

    /// <summary>The task branch, once known.</summary>
    public string? Branch { get; init; }

    /// <summary>The commit created for the task, when one was.</summary>
    public string? CommitId { get; init; }

    /// <summary>The slot the run worked in, when one was acquired.</summary>
    public string? SlotId { get; init; }

    /// <summary>
    /// Why the run's slot was taken out of rotation (quarantined) instead of returned to the pool, because it
    /// could not be brought back clean; null when the slot was returned (or none was held).
    /// </summary>
    public string? SlotQuarantined { get; init; }

    /// <summary>What the coding agent did, attempt by attempt.</summary>
    public IReadOnlyList<ImplementationResult> Implementations { get; init; } = [];

    /// <summary>Tokens and cost of every agent attempt together, when the agent reports them.</summary>
    public AgentUsage? Usage => Implementations.Select(i => i.Usage).Where(u => u is not null).Aggregate((AgentUsage?)null, (sum, u) => sum is null ? u : sum.Add(u!));

    /// <summary>What every agent attempt spent together (wall time, turns, tokens, cost); each attempt's is in <see cref="Implementations"/>.</summary>
    public AgentSpend Spend => AgentSpend.Total(Implementations);

    /// <summary>The agent attempt whose changes passed the tests (1 = the first; higher after fix-loop attempts), when they passed.</summary>
    public int? PassedOnAttempt { get; init; }

    /// <summary>The last test run, when tests ran.</summary>
    public TestRunResult? Tests { get; init; }

    /// <summary>The push, when one was attempted.</summary>
    public PushResult? Push { get; init; }

    /// <summary>Every artifact, stored or kept locally.</summary>
    public IReadOnlyList<ArtifactRecord> Artifacts { get; init; } = [];

    /// <summary>Every step, in the order run.</summary>
    public IReadOnlyList<StepResult> Steps { get; init; } = [];

    /// <summary>The highest peak resident memory of any process tree of the run (agent, tests, commands); null when none was measured.</summary>
    public long? PeakMemoryBytes => Steps.Max(s => s.PeakMemoryBytes);

    /// <summary>The CPU time of all process trees of the run together; null when none was measured.</summary>
    public TimeSpan? CpuTime => Steps.Any(s => s.CpuTime is not null) ? Steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.CpuTime ?? TimeSpan.Zero)) : null;

    /// <summary>Every state transition, timestamped.</summary>
    public IReadOnlyList<StateTransition> Transitions { get; init; } = [];

    /// <summary>The name of the playbook the run followed (<c>default</c> for the built-in pipeline).</summary>
    public string? Playbook { get; init; }

    /// <summary>Why the run failed; null when it succeeded.</summary>
    public RunError? Error { get; init; }

    /// <summary>Whether the task is done and its branch pushed.</summary>
    public bool Succeeded => Outcome == RunOutcome.Succeeded;
}
