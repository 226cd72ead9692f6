namespace NecroCode.AgentRunner.Specs;

/// <summary>What became of one task of a spec run.</summary>
/// <param name="TaskId">The task's number.</param>
/// <param name="Title">Its title.</param>
/// <param name="Outcome">What became of it.</param>
public sealed record SpecTaskResult(string TaskId, string Title, SpecTaskOutcome Outcome)
{
    /// <summary>Its branch, when it ran or is known from an earlier run.</summary>
    public string? Branch { get; init; }

    /// <summary>Its commit, when it has one.</summary>
    public string? CommitId { get; init; }

    /// <summary>How long its run took; zero when it did not run.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How many times the agent was asked (the fix loop's attempts); zero when it did not run.</summary>
    public int Attempts { get; init; }

    /// <summary>How its run ended (also for a run refused before it started); null when it did not run.</summary>
    public RunOutcome? RunOutcome { get; init; }

    /// <summary>The run's summary, when it ran.</summary>
    public RunnerResult? Run { get; init; }

    /// <summary>Why it failed, was blocked or skipped; null when it succeeded.</summary>
    public string? Reason { get; init; }
}
