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

    /// <summary>
    /// Only the hosts of <see cref="SandboxOptions.AllowedHosts"/>, over HTTP and HTTPS through a proxy of the runner's that
    /// refuses every other host: the processes get a network namespace of their own (bubblewrap) in which the proxy, at
    /// <c>HTTP_PROXY</c>/<c>HTTPS_PROXY</c>, is the only way out. A tool that ignores those variables reaches nothing.
    /// Needs bubblewrap and <c>socat</c> (which relays the proxy into the namespace).
    /// </summary>
    Hosts,
}
