namespace NecroCode.AgentRunner.Specs;

/// <summary>A spec to run and which of its tasks.</summary>
/// <param name="Folder">The spec folder (with <c>tasks.md</c>).</param>
public sealed record SpecRunRequest(string Folder)
{
    /// <summary>How many tasks run at once. Default 1.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Run only these tasks (a parent's number stands for its sub-tasks); empty for all.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Start at this task (in document order); the tasks before it are left as they are.</summary>
    public string? From { get; init; }

    /// <summary>Run optional tasks (<c>- [ ]* …</c>) too. Default false.</summary>
    public bool IncludeOptional { get; init; }

    /// <summary>How the folder is read (spec name, test commands, design context); null for the defaults.</summary>
    public SpecReadOptions? ReadOptions { get; init; }

    /// <summary>Receives the typed events of every task, as they happen; null for none.</summary>
    public ISpecEventSink? Events { get; init; }
}
