namespace NecroCode.AgentRunner;

/// <summary>The changes in a workspace against the task's base commit.</summary>
/// <param name="Patch">A git patch (binary-safe) that applies onto the base commit.</param>
/// <param name="Changes">Every changed path.</param>
public sealed record WorkspaceDiff(string Patch, IReadOnlyList<FileChange> Changes)
{
    /// <summary>Whether nothing changed.</summary>
    public bool IsEmpty => Changes.Count == 0;
}
