using System.Diagnostics;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>What this machine offers to confine a process, each found out once.</summary>
internal sealed class SandboxProbe
{
    private readonly Lazy<int> _landlockAbi = new(LandlockNative.AbiVersion);
    private readonly Lazy<(string? Path, string? Problem)> _bubblewrap;
    private readonly Lazy<(string? Path, string? Problem)> _socat;

    /// <summary>Creates a probe.</summary>
    /// <param name="bubblewrap">The bubblewrap program: a path or a name looked up on <c>PATH</c>.</param>
    /// <param name="socat">The socat program: a path or a name looked up on <c>PATH</c>.</param>
    public SandboxProbe(string bubblewrap, string socat = "socat")
    {
        _bubblewrap = new(() => FindBubblewrap(bubblewrap));
        _socat = new(() => Find(socat) is { } path
            ? (path, null)
            : (null, $"socat ('{socat}'), which relays the proxy of Network Hosts, is not installed (Debian and Ubuntu: apt-get install socat)"));
    }

    /// <summary>The kernel's Landlock ABI version; 0 without Landlock.</summary>
    public int LandlockAbi => _landlockAbi.Value;

    /// <summary>The usable bubblewrap program; null when there is none.</summary>
    public string? Bubblewrap => _bubblewrap.Value.Path;

    /// <summary>Whether the runner runs inside a container (Docker, Podman, a Kubernetes pod).</summary>
    public static bool InContainer =>
        File.Exists("/.dockerenv") || File.Exists("/run/.containerenv") || Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 };

    /// <summary>Why Landlock cannot serve <paramref name="network"/>; null when it can.</summary>
    public string? LandlockProblem(SandboxNetwork network) => LandlockAbi switch
    {
        0 => "the kernel has no Landlock (Linux 5.13 or later with Landlock enabled in the LSM list)",
        < 4 when network == SandboxNetwork.None => $"the kernel's Landlock (ABI {LandlockAbi}) cannot refuse TCP connections (ABI 4, Linux 6.7)",
        _ when !PosixSpawn.IsAvailable => "the C library's posix_spawn is not usable here (the runner is process 1, or ignores SIGCHLD)",
        _ => null,
    };

    /// <summary>The usable socat program; null when there is none.</summary>
    public string? Socat => _socat.Value.Path;

    /// <summary>Why socat cannot be used; null when it can.</summary>
    public string? SocatProblem => _socat.Value.Problem;

    /// <summary>Why bubblewrap cannot be used; null when it can.</summary>
    public string? BubblewrapProblem => _bubblewrap.Value.Problem;

    private static string? Find(string program)
    {
        try
        {
            return ExecutableResolver.Resolve(program, Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PATH") + ":/usr/bin:/bin");
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }

    private static (string? Path, string? Problem) FindBubblewrap(string program)
    {
        if (Find(program) is not { } path)
        {
            return (null, $"bubblewrap ('{program}') is not installed (Debian and Ubuntu: apt-get install bubblewrap)");
        }

        // A trial run: bubblewrap needs user namespaces (or privileges) the machine may refuse.
        try
        {
            var info = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])["--ro-bind", "/", "/", "--dev-bind", "/dev", "/dev", "--", "/bin/true"])
            {
                info.ArgumentList.Add(argument);
            }

            using var trial = Process.Start(info)!;
            var error = trial.StandardError.ReadToEnd();
            trial.WaitForExit();
            return trial.ExitCode == 0 ? (path, null) : (null, $"bubblewrap ('{path}') cannot create its namespaces here: {error.Trim()}");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return (null, $"bubblewrap ('{path}') could not be run: {ex.Message}");
        }
    }
}
