namespace NecroCode.AgentRunner;

/// <summary>A request to prepare a slot for a task.</summary>
/// <param name="Path">The slot's working directory.</param>
/// <param name="Branch">The task branch to create and check out.</param>
/// <param name="Task">The task.</param>
/// <param name="Events">Where recovery and retry events go.</param>
public sealed record WorkspaceRequest(string Path, string Branch, TaskKey Task, IRunEventSink Events)
{
    /// <summary>
    /// When resuming a run that had already committed: the commit to check the task branch out at,
    /// instead of rebuilding the branch from origin's main branch. The workspace manager throws a
    /// <see cref="WorkspaceException"/> when the slot no longer holds it.
    /// </summary>
    public string? ResumeCommit { get; init; }

    /// <summary>
    /// The branch to start the task branch from instead of the main branch (stacked on a task that is not merged
    /// yet), given with <see cref="BaseCommit"/>; null (the default) starts from the main branch. The workspace
    /// manager fetches it, checks that it holds <see cref="BaseCommit"/>, and starts from the main branch instead
    /// when that commit is already in it.
    /// </summary>
    public string? BaseBranch { get; init; }

    /// <summary>The commit of <see cref="BaseBranch"/> the task branch starts at.</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The run's secrets (the git token, for instance). Default <see cref="RunSecrets.None"/>.</summary>
    public IRunSecrets Secrets { get; init; } = RunSecrets.None;
}
