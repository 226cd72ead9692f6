namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>How the agent, test commands and command steps are confined in local mode.</summary>
public enum SandboxMode
{
    /// <summary>The best mechanism this machine has: Landlock, else bubblewrap; a run is refused when there is none (unless it runs inside a container, see <see cref="SandboxOptions.UnconfinedInContainer"/>).</summary>
    Auto,

    /// <summary>The kernel's Landlock (Linux 5.13 or later, no privileges needed); a run is refused without it.</summary>
    Landlock,

    /// <summary>bubblewrap (<c>bwrap</c>) in a mount namespace of its own; a run is refused without it.</summary>
    Bubblewrap,

    /// <summary>No confinement: the processes may write wherever the runner may.</summary>
    Off,
}
