namespace NecroCode.AgentRunner;

/// <summary>Result of pushing the task branch.</summary>
/// <param name="Succeeded">Whether the remote accepted the branch.</param>
/// <param name="Remote">The remote's name, e.g. <c>origin</c>.</param>
/// <param name="Branch">The pushed branch.</param>
/// <param name="CommitId">The commit the remote branch points to after a successful push.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="Error">The last (masked) error, when it failed or needed retries.</param>
public sealed record PushResult(bool Succeeded, string Remote, string Branch, string? CommitId, int Attempts, string? Error = null);
