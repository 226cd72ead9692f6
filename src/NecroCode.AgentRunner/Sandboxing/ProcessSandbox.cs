using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Posix;
using NecroCode.AgentRunner.Sandboxing.Egress;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// Decides how a process that asks for confinement (<see cref="ProcessSpec.ConfinedTo"/>) is started: the mechanism
/// (<see cref="SandboxOptions.Mode"/>), what it may write (the folder it is confined to, a private temporary folder set
/// as its <c>TMPDIR</c> and <c>HOME</c>, the configured extras) and what it may not read (the secret folder, the runner's
/// state, the configured hidden paths).
/// </summary>
internal sealed partial class ProcessSandbox
{
    private readonly SandboxOptions _options;
    private readonly IReadOnlyList<string> _alwaysHidden;
    private readonly SandboxProbe _probe;
    private readonly HostAllowList _allowedHosts;
    private readonly ILogger _logger;

    /// <summary>Creates the sandbox of a runner composed with <c>AddAgentRunner</c>.</summary>
    public ProcessSandbox(IOptions<SandboxOptions> options, IOptions<AgentRunnerOptions> runner, IOptions<FileSystemOptions> fileSystem, IOptions<CredentialOptions> credentials, ILogger<ProcessSandbox> logger)
        : this(options.Value, RunnerState(runner.Value, fileSystem.Value, credentials.Value), logger)
    {
    }

    /// <summary>Creates a sandbox that always hides <paramref name="alwaysHidden"/>.</summary>
    internal ProcessSandbox(SandboxOptions options, IReadOnlyList<string> alwaysHidden, ILogger logger)
    {
        _options = options;
        _alwaysHidden = alwaysHidden;
        _probe = new SandboxProbe(options.Bubblewrap, options.Socat);
        _allowedHosts = HostAllowList.Parse(options.AllowedHosts);
        _logger = logger;
    }

    /// <summary>
    /// Prepares the confinement of <paramref name="spec"/>: picks the mechanism, creates the private folder and points
    /// <c>TMPDIR</c> (and <c>HOME</c>) of <paramref name="environment"/> at it unless the spec sets them itself.
    /// </summary>
    /// <exception cref="ProcessStartException">The configured mechanism is not available here; the message says why.</exception>
    public ConfinedLaunch Prepare(ProcessSpec spec, IDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (mechanism, unconfined) = Choose(spec.FileName);
        var confinedTo = Real(spec.ConfinedTo!);
        if (mechanism == SandboxMechanism.None)
        {
            return new ConfinedLaunch(mechanism, new SandboxPolicy([confinedTo], [], null, SandboxNetwork.Any), null, 0, null) { Unconfined = unconfined };
        }

        // Every private folder lies in one parent, hidden like the runner's state: a confined process reads and writes its
        // own (a writable grant beneath the hidden parent), never another process's, while both run.
        var privateFolder = CreatePrivateFolder();
        var hidden = _alwaysHidden.Concat(_options.HiddenPaths).Append(PrivateFolders).Where(Exists).Select(Real).Distinct(StringComparer.Ordinal).ToList();
        hidden.RemoveAll(h => hidden.Any(outer => outer != h && SandboxPolicy.IsWithin(h, outer)));
        var writable = new List<string> { confinedTo, Real(privateFolder) };
        writable.AddRange(_options.ExtraWritablePaths.Where(Exists).Select(Real));
        var readable = _options.ReadElsewhere ? null : SandboxPolicy.SystemFolders.Concat(_options.ExtraReadablePaths).Where(Exists).Select(Real).Distinct(StringComparer.Ordinal).ToList();
        var policy = new SandboxPolicy(writable, hidden, readable, _options.Network);

        SetUnlessGiven(spec, environment, "TMPDIR", privateFolder);
        if (_options.PrivateHome)
        {
            SetUnlessGiven(spec, environment, "HOME", privateFolder);
        }

        var launch = new ConfinedLaunch(mechanism, policy, privateFolder, _probe.LandlockAbi, _probe.Bubblewrap);
        if (_options.Network == SandboxNetwork.Hosts)
        {
            launch = launch with { Egress = (StartProxy(spec.FileName, launch, privateFolder), _probe.Socat!) };
            foreach (var name in EgressRelay.ProxyVariables)
            {
                environment[name] = EgressRelay.ProxyUrl;
            }

            foreach (var name in EgressRelay.BypassVariables)
            {
                environment.Remove(name);
            }
        }

        Log.Confined(_logger, spec.StepName, spec.FileName, mechanism, confinedTo, _options.Network);
        return launch;
    }

    /// <summary>
    /// The parent of the private folders (<c>TMPDIR</c> of each confined process): <c>necrocode-sandbox-UID</c> in the
    /// system's temporary folder, one per user, readable by that user only.
    /// </summary>
    internal static string PrivateFolders { get; } = Path.Combine(Path.GetTempPath(), "necrocode-sandbox-" + Libc.getuid().ToString(System.Globalization.CultureInfo.InvariantCulture));

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static string CreatePrivateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The sandbox confines processes on Linux only.");
        }

        try
        {
            // Made for this user alone; one made by anybody else (another mode, a link) is refused, and one of another
            // user's with this mode cannot be written in.
            var parent = Directory.CreateDirectory(PrivateFolders, OwnerOnly);
            if (parent.LinkTarget is not null || File.GetUnixFileMode(parent.FullName) != OwnerOnly)
            {
                throw new ProcessStartException("the sandbox", $"'{parent.FullName}', the parent of the confined processes' private folders, is a symbolic link or open to others; remove it.");
            }

            return Directory.CreateDirectory(Path.Combine(parent.FullName, "p-" + Guid.NewGuid().ToString("N")), OwnerOnly).FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProcessStartException("the sandbox", $"no private folder could be made in '{PrivateFolders}': {ex.Message}", ex);
        }
    }

    /// <summary>The allowed hosts, as the run log shows them.</summary>
    public string AllowedHostsText => _allowedHosts.Text;

    /// <summary>The runner's own state, hidden from every confined process.</summary>
    internal static IReadOnlyList<string> RunnerState(AgentRunnerOptions runner, FileSystemOptions fileSystem, CredentialOptions credentials)
    {
        var paths = new List<string>
        {
            fileSystem.GetRegistryPath(),
            fileSystem.GetSlotsPath(),
            fileSystem.GetArtifactsPath(),
            Path.GetFullPath(RunDirectories.Work(runner)),
            Path.GetFullPath(RunDirectories.Journals(runner)),
        };
        if (!string.IsNullOrEmpty(credentials.SecretDirectory))
        {
            paths.Add(Path.GetFullPath(credentials.SecretDirectory));
        }

        return paths;
    }

    private EgressProxy StartProxy(string program, ConfinedLaunch launch, string privateFolder)
    {
        // socat reads its addresses up to the first ',' or ':'; the socket's path must not hold one.
        var socket = Path.Combine(Real(privateFolder), "egress.sock");
        if (socket.Length > 100 || socket.IndexOfAny([',', ':', '!', '"', '\'', ' ']) >= 0)
        {
            launch.Dispose();
            throw new ProcessStartException(program, $"the sandbox's proxy socket '{socket}' is longer than 100 characters or holds one of , : ! \" ' or a space; point TMPDIR of the runner at a plainer folder.");
        }

        try
        {
            return EgressProxy.Start(socket, _allowedHosts, _logger);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            launch.Dispose();
            throw new ProcessStartException(program, $"the sandbox's proxy could not listen on '{socket}': {ex.Message}", ex);
        }
    }

    private (SandboxMechanism Mechanism, string? Unconfined) Choose(string program)
    {
        var network = _options.Network;
        var hosts = network == SandboxNetwork.Hosts;
        switch (_options.Mode)
        {
            case SandboxMode.Off:
                return (SandboxMechanism.None, "NecroCode:Sandbox:Mode is Off");
            case SandboxMode.Landlock when hosts:
                throw Unavailable(program, "Landlock cannot tell hosts apart; Network Hosts needs Mode Bubblewrap or Auto (bubblewrap and socat)");
            case SandboxMode.Landlock:
                return _probe.LandlockProblem(network) is { } landlock ? throw Unavailable(program, landlock) : (SandboxMechanism.Landlock, null);
            case SandboxMode.Bubblewrap:
                return BubblewrapProblem(hosts) is { } bubblewrap ? throw Unavailable(program, bubblewrap) : (SandboxMechanism.Bubblewrap, null);
        }

        var whyNotLandlock = hosts ? "Landlock cannot tell hosts apart" : _probe.LandlockProblem(network);
        if (whyNotLandlock is null)
        {
            return (SandboxMechanism.Landlock, null);
        }

        if (BubblewrapProblem(hosts) is not { } whyNotBubblewrap)
        {
            return (SandboxMechanism.Bubblewrap, null);
        }

        if (_options.UnconfinedInContainer && SandboxProbe.InContainer && network == SandboxNetwork.Any)
        {
            Log.UnconfinedInContainer(_logger, whyNotLandlock, whyNotBubblewrap);
            return (SandboxMechanism.None, $"nothing confines a process inside this container ({whyNotLandlock}; {whyNotBubblewrap}); the container is the confinement");
        }

        var inContainer = SandboxProbe.InContainer && network != SandboxNetwork.Any
            ? $" (inside a container too: Network {network} is never left unenforced; set NecroCode:Sandbox:Network to Any for container runs, where the container's own network settings apply)"
            : "";
        throw Unavailable(program, $"{whyNotLandlock}; {whyNotBubblewrap}{inContainer}");
    }

    private string? BubblewrapProblem(bool hosts) => _probe.BubblewrapProblem ?? (hosts ? _probe.SocatProblem : null);

    private ProcessStartException Unavailable(string program, string why) => new(
        program,
        $"the sandbox (NecroCode:Sandbox:Mode {_options.Mode}, Network {_options.Network}) cannot confine it on this machine: {why}. " +
        "Install bubblewrap, choose another mode, or set NecroCode:Sandbox:Mode to Off to run the agent and the tests unconfined.");

    private static void SetUnlessGiven(ProcessSpec spec, IDictionary<string, string> environment, string name, string value)
    {
        if (!spec.Environment.TryGetValue(name, out var given) || given is null)
        {
            environment[name] = value;
        }
    }

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);

    private static string Real(string path) => RealPath.Resolve(path);
}
