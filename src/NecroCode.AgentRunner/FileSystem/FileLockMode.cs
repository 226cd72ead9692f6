namespace NecroCode.AgentRunner.FileSystem;

/// <summary>How a <see cref="FileLock"/> is held.</summary>
internal enum FileLockMode
{
    /// <summary>Many holders at once (readers); excludes exclusive holders.</summary>
    Shared,

    /// <summary>One holder (writers).</summary>
    Exclusive,
}
