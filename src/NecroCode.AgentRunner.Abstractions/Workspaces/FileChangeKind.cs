namespace NecroCode.AgentRunner;

/// <summary>How a file changed.</summary>
public enum FileChangeKind
{
    /// <summary>A new file.</summary>
    Added,

    /// <summary>Content or mode changed.</summary>
    Modified,

    /// <summary>Removed.</summary>
    Deleted,

    /// <summary>Moved (possibly with changes).</summary>
    Renamed,

    /// <summary>Changed type (e.g. file to symlink).</summary>
    TypeChanged,
}
