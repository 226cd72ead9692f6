namespace NecroCode.AgentRunner;

/// <summary>A request to stage every change and commit it (R5.1–5.3).</summary>
/// <param name="Path">The working directory.</param>
/// <param name="Message">The commit message.</param>
public sealed record CommitRequest(string Path, string Message);
