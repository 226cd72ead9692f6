namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>The mechanism that confines a process.</summary>
internal enum SandboxMechanism
{
    /// <summary>Not confined.</summary>
    None,

    /// <summary>The kernel's Landlock.</summary>
    Landlock,

    /// <summary>bubblewrap.</summary>
    Bubblewrap,
}
