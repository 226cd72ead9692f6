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
}
