namespace NecroCode.AgentRunner.Journal;

/// <summary>
/// What a run has durably done so far (R19): enough for a resumed run to carry on without repeating
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

    public string? BaseCommit { get; init; }

    public string? CommitId { get; init; }

    public TestRunResult? Tests { get; init; }

    public PushResult? Push { get; init; }

    public IReadOnlyList<ArtifactRecord> Artifacts { get; init; } = [];

    public string? ReportedEvent { get; init; }

    public int Resumes { get; init; }
}
