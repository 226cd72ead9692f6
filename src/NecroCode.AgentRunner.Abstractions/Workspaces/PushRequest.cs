namespace NecroCode.AgentRunner;

/// <summary>A request to push the task branch.</summary>
/// <param name="Path">The working directory.</param>
/// <param name="Branch">The task branch; the only ref the runner may push.</param>
/// <param name="Events">Where retry events go.</param>
public sealed record PushRequest(string Path, string Branch, IRunEventSink Events)
{
    /// <summary>The run's secrets (the git token, for instance). Default <see cref="RunSecrets.None"/>.</summary>
    public IRunSecrets Secrets { get; init; } = RunSecrets.None;

    /// <summary>
    /// The commit the branch must point to (the one the runner made and checked); the push is refused before it reaches
    /// the network when the branch has moved since (a later step committed on its own). Null: whatever the branch holds.
    /// </summary>
    public string? ExpectedCommit { get; init; }
}
