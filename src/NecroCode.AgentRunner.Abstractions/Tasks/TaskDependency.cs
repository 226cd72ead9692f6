namespace NecroCode.AgentRunner;

/// <summary>A task the current task depends on, with what is known of its result.</summary>
/// <param name="TaskId">Identifier of the task depended on.</param>
/// <param name="Title">Its title, when known.</param>
/// <param name="Branch">The branch it was pushed to, when known.</param>
/// <param name="CommitId">Its commit, when known.</param>
/// <param name="Summary">A short summary of what it produced, when known.</param>
public sealed record TaskDependency(
    string TaskId,
    string? Title = null,
    string? Branch = null,
    string? CommitId = null,
    string? Summary = null);
