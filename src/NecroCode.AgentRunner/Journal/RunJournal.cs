namespace NecroCode.AgentRunner.Journal;

/// <summary>
/// What a run has durably done so far: enough for a resumed run to carry on without repeating
/// a side effect. Each side effect is recorded with its idempotency key: the commit id, the pushed
/// branch and commit, each artifact's name and hash, the completion event.
/// </summary>
internal sealed record RunJournal
{
    public required string RunnerId { get; init; }

    public required string SpecName { get; init; }

    public required string TaskId { get; init; }

    public required string Branch { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public string? SlotId { get; init; }

    /// <summary>The run-level tracking id its processes carry (<c>NECROCODE_RUN_TRACE_&lt;id&gt;=1</c>), so that what a killed run left running can be stopped.</summary>
    public string? TraceId { get; init; }

    public string? BaseCommit { get; init; }

    public string? CommitId { get; init; }

    public TestRunResult? Tests { get; init; }

    public PushResult? Push { get; init; }

    public IReadOnlyList<ArtifactRecord> Artifacts { get; init; } = [];

    public string? ReportedEvent { get; init; }

    public int Resumes { get; init; }

    /// <summary>The runner's state when the journal was last written.</summary>
    public RunnerState State { get; init; } = RunnerState.Running;

    /// <summary>Every step that ended, in order, across resumes (the resume that ran it: 0 for the first attempt).</summary>
    public IReadOnlyList<JournalStep> CompletedSteps { get; init; } = [];
}

/// <summary>A step that ended, as the journal records it.</summary>
/// <param name="Name">The step.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Resume">Which attempt ran it: 0 for the first, then the resume's number.</param>
internal sealed record JournalStep(string Name, StepOutcome Outcome, int Resume);
