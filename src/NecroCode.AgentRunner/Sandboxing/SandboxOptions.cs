using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// Settings of the local-mode sandbox: the agent, the test commands and the command steps of a run may write only
/// inside the workspace, a private temporary folder of their own and <see cref="ExtraWritablePaths"/>; the secret
/// folder and the runner's own state are never readable. The runner's own git commands are not confined.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Sandbox</c>.</summary>
    public const string SectionName = "NecroCode:Sandbox";

    /// <summary>The mechanism. Default <see cref="SandboxMode.Auto"/>: Landlock, else bubblewrap, else the run is refused.</summary>
    public SandboxMode Mode { get; set; } = SandboxMode.Auto;

    /// <summary>The network the confined processes may use. Default <see cref="SandboxNetwork.Any"/> (agents call their model's API).</summary>
    public SandboxNetwork Network { get; set; } = SandboxNetwork.Any;

    /// <summary>
    /// The hosts the processes may reach when <see cref="Network"/> is <see cref="SandboxNetwork.Hosts"/>: a name
    /// (<c>api.example.com</c>), every name beneath a domain (<c>*.example.com</c>), or an address (<c>10.0.0.7</c>,
    /// <c>[::1]</c>), each optionally with one port (<c>api.example.com:443</c>); without a port, any port. Default none.
    /// </summary>
    public IList<string> AllowedHosts { get; set; } = [];

    /// <summary>Absolute paths the processes may also write to (a package cache, <c>/dev/shm</c> …). Default none.</summary>
    public IList<string> ExtraWritablePaths { get; set; } = [];

    /// <summary>
    /// Absolute paths the processes may not read, beside the ones always hidden: the secret folder
    /// (<c>NecroCode:Credentials:SecretDirectory</c>), the runner's registry, slots (all but the workspace) and artifacts,
    /// and its work and journal folders. Default none.
    /// </summary>
    public IList<string> HiddenPaths { get; set; } = [];

    /// <summary>
    /// Whether the processes may read outside the workspace (except the hidden paths). When false they read only the
    /// system's folders (<c>/usr</c>, <c>/bin</c>, <c>/lib*</c>, <c>/etc</c>, <c>/opt</c>, <c>/dev</c>, <c>/proc</c>,
    /// <c>/sys</c>) and <see cref="ExtraReadablePaths"/>. Default true.
    /// </summary>
    public bool ReadElsewhere { get; set; } = true;

    /// <summary>Absolute paths the processes may read when <see cref="ReadElsewhere"/> is false (an SDK in a home folder …). Default none.</summary>
    public IList<string> ExtraReadablePaths { get; set; } = [];

    /// <summary>
    /// Whether <c>HOME</c> points at the process's private temporary folder, as <c>TMPDIR</c> always does; a
    /// <c>HOME</c> the process's own environment sets wins. When false the process keeps the runner's <c>HOME</c>, which it
    /// can read but not write to unless it is listed in <see cref="ExtraWritablePaths"/>. Default true.
    /// </summary>
    public bool PrivateHome { get; set; } = true;

    /// <summary>
    /// Whether <see cref="SandboxMode.Auto"/> with <see cref="Network"/> <see cref="SandboxNetwork.Any"/> runs the processes
    /// unconfined, saying so in the run log, when no mechanism is available and the runner itself runs inside a container
    /// (Docker or Kubernetes mode, whose container is the confinement). A network of <see cref="SandboxNetwork.None"/> or
    /// <see cref="SandboxNetwork.Hosts"/> is never left unenforced: such a run is refused. Default true.
    /// </summary>
    public bool UnconfinedInContainer { get; set; } = true;

    /// <summary>The bubblewrap program: a path or a name looked up on the runner's <c>PATH</c>. Default <c>bwrap</c>.</summary>
    [Required]
    public string Bubblewrap { get; set; } = "bwrap";

    /// <summary>
    /// The <c>socat</c> program that relays the proxy of <see cref="SandboxNetwork.Hosts"/> into the processes' network
    /// namespace: a path or a name looked up on the runner's <c>PATH</c>. Default <c>socat</c>.
    /// </summary>
    [Required]
    public string Socat { get; set; } = "socat";
}
