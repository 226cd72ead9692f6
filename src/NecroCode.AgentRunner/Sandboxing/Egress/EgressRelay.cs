using System.Globalization;

namespace NecroCode.AgentRunner.Sandboxing.Egress;

/// <summary>
/// What runs first inside the network namespace of a <see cref="SandboxNetwork.Hosts"/> process: a shell that starts
/// <c>socat</c> listening on <c>127.0.0.1:</c><see cref="Port"/> and relaying each connection to the proxy's Unix socket,
/// waits until the port listens (read from <c>/proc/net/tcp</c>, so no connection is spent on it; a relay that could not
/// start ends the process with 126 and says so), runs the program, then stops the relay and exits with the program's
/// status. The relay is the shell's child, not the program's; a tree stopped from outside takes it along (it carries the
/// run's tracking variables like every process of the tree).
/// </summary>
internal static class EgressRelay
{
    /// <summary>The port the proxy answers on inside the namespace.</summary>
    public const int Port = 3128;

    /// <summary>The proxy's address inside the namespace, as the proxy variables give it.</summary>
    public static readonly string ProxyUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>The variables that point HTTP clients at the proxy (both spellings; curl reads only the lower-case <c>http_proxy</c>).</summary>
    public static readonly IReadOnlyList<string> ProxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"];

    /// <summary>The variables that would send some hosts past the proxy; removed.</summary>
    public static readonly IReadOnlyList<string> BypassVariables = ["NO_PROXY", "no_proxy"];

    // Waits up to ~5 s for the listening socket (state 0A) on 127.0.0.1 (0100007F) and the port, in hex as /proc shows it.
    // socat's -t: how long a relayed connection stays open after one side finished sending (default 0.5 s: too short
    // for a client that half-closes after its request).
    private static readonly string Script = string.Create(
        CultureInfo.InvariantCulture,
        $"""
        socat=$1 socket=$2; shift 2
        "$socat" -t 600 TCP-LISTEN:{Port},bind=127.0.0.1,reuseaddr,fork "UNIX-CONNECT:$socket" </dev/null >/dev/null 2>&1 &
        relay=$!
        i=0
        while ! grep -q ' 0100007F:{Port:X4} 00000000:0000 0A' /proc/net/tcp 2>/dev/null; do
          if ! kill -0 "$relay" 2>/dev/null; then
            echo "The sandbox's proxy relay ($socat) could not start inside the sandbox; no connection can leave it." >&2
            exit 126
          fi
          i=$((i+1)); [ "$i" -gt 1000 ] && break; sleep 0.005
        done
        "$@"
        status=$?
        kill "$relay" 2>/dev/null
        exit "$status"
        """);

    /// <summary>The command line, after bubblewrap's <c>--</c>, that relays the proxy and then runs <paramref name="program"/>.</summary>
    public static IReadOnlyList<string> Wrap(string socat, string socketPath, string program, IReadOnlyList<string> arguments) =>
        ["/bin/sh", "-c", Script, "necrocode-egress", socat, socketPath, program, .. arguments];
}
