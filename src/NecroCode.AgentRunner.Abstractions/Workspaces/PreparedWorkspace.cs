namespace NecroCode.AgentRunner;

/// <summary>A slot, clean and on the task branch.</summary>
/// <param name="Path">The working directory.</param>
/// <param name="Branch">The checked-out task branch.</param>
/// <param name="BaseCommit">The commit of origin's main branch the task branch starts from.</param>
public sealed record PreparedWorkspace(string Path, string Branch, string BaseCommit);
