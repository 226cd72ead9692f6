namespace NecroCode.AgentRunner;

/// <summary>One changed path of a diff.</summary>
/// <param name="Path">The path, relative to the workspace, with <c>/</c> separators.</param>
/// <param name="Kind">How it changed.</param>
/// <param name="OldPath">The previous path of a renamed file.</param>
/// <param name="IsBinary">Whether the content is binary.</param>
public sealed record FileChange(string Path, FileChangeKind Kind, string? OldPath = null, bool IsBinary = false);
