namespace NecroCode.AgentRunner.Git;

/// <summary>How a failed network operation should be treated.</summary>
internal enum GitErrorKind
{
    /// <summary>Not recognised; not retried.</summary>
    Other,

    /// <summary>A network or server hiccup; retried.</summary>
    Transient,

    /// <summary>The remote refused the credentials; never retried.</summary>
    Authentication,

    /// <summary>The remote branch moved on; never retried.</summary>
    NonFastForward,
}
