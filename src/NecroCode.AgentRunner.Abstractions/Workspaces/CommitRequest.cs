namespace NecroCode.AgentRunner;

/// <summary>A request to stage every change and commit it.</summary>
/// <param name="Path">The working directory.</param>
/// <param name="Message">The commit message.</param>
public sealed record CommitRequest(string Path, string Message)
{
    /// <summary>
    /// The task's base commit; when HEAD moved away from it (the agent committed), the agent's commits are
    /// folded into the runner's commit. Null to commit on top of whatever HEAD is.
    /// </summary>
    public string? BaseCommit { get; init; }

    /// <summary>
    /// The diff <see cref="IWorkspaceManager.GetDiffAsync"/> has just returned for this workspace, with nothing run in
    /// it since: the commit then records exactly that diff's content, and a manager may commit what it staged for the
    /// diff instead of staging the working tree again. Null to stage every change in the working tree as it is.
    /// </summary>
    public WorkspaceDiff? Diff { get; init; }
}
