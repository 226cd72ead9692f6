namespace NecroCode.AgentRunner.Git;

/// <summary>
/// What <see cref="GitWorkspaceManager.PrepareAsync"/> left in a slot, kept in memory for the run's commit, push
/// and rollback: the task branch, where it was checked out, every ref that existed then (so refs an agent
/// created afterwards can be told apart from an earlier task's branches), the remote's URLs and the slot's git
/// configuration and hooks before the agent ran.
/// </summary>
/// <param name="Branch">The task branch.</param>
/// <param name="CheckedOutAt">The commit the task branch was checked out at.</param>
/// <param name="Refs">The canonical names of the slot's refs right after the checkout.</param>
/// <param name="Remote">The remote's URLs, read before the preparation's fetch.</param>
/// <param name="Snapshot">The configuration and hooks at the end of the preparation.</param>
internal sealed record SlotRun(string Branch, string CheckedOutAt, IReadOnlySet<string> Refs, SlotRemote Remote, SlotSnapshot Snapshot)
{
    /// <summary>The runner's commit of this run; null until <see cref="GitWorkspaceManager.CommitAsync"/> made it.</summary>
    public string? CommitId { get; init; }

    /// <summary>The key a slot's run is kept under: its full path without a trailing separator.</summary>
    /// <param name="path">The slot's path.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
