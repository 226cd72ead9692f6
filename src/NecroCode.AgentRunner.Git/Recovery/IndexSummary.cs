namespace NecroCode.AgentRunner.Git;

/// <summary>What <see cref="IndexFile"/> found in an index file.</summary>
/// <param name="Parsed">Whether the file parsed exactly.</param>
/// <param name="MayHaveFlags">Whether an entry may carry <c>assume-unchanged</c> or <c>skip-worktree</c> (true unless parsed and none does).</param>
/// <param name="SelfContained">Whether every entry is in the file itself (no split index, no sparse directories).</param>
internal readonly record struct IndexSummary(bool Parsed, bool MayHaveFlags, bool SelfContained)
{
    /// <summary>A file that could not be read or parsed: everything is assumed.</summary>
    public static IndexSummary Unknown { get; } = new(Parsed: false, MayHaveFlags: true, SelfContained: false);
}
