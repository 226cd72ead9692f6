namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>What network the confined processes may use.</summary>
public enum SandboxNetwork
{
    /// <summary>Whatever the runner may reach.</summary>
    Any,

    /// <summary>
    /// No TCP at all: Landlock refuses every TCP connect and bind (UDP and Unix sockets stay open, Landlock does not cover
    /// them); bubblewrap gives the processes a network namespace of their own with only a loopback device.
    /// </summary>
    None,
}
