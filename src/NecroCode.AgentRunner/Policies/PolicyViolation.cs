namespace NecroCode.AgentRunner.Policies;

/// <summary>One reason a change is refused.</summary>
/// <param name="Path">The offending path, relative to the workspace (empty for whole-diff rules).</param>
/// <param name="Line">The line in the new file, when the rule is about a line.</param>
/// <param name="Message">What is wrong; any secret in it is masked.</param>
internal sealed record PolicyViolation(string Path, int? Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line is { } line ? $"{Path}:{line}: {Message}" : Path.Length > 0 ? $"{Path}: {Message}" : Message;
}
