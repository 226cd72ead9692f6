using NecroCode.AgentRunner.Sandboxing.Egress;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>How one process is confined, and its private temporary folder, which <see cref="Dispose"/> deletes.</summary>
/// <param name="Mechanism">The mechanism (<see cref="SandboxMechanism.None"/>: unconfined on purpose).</param>
/// <param name="Policy">What the process may do.</param>
/// <param name="PrivateFolder">Its private temporary folder (<c>TMPDIR</c>); null when unconfined.</param>
/// <param name="LandlockAbi">The kernel's Landlock ABI, for <see cref="SandboxMechanism.Landlock"/>.</param>
/// <param name="Bubblewrap">The bubblewrap program, for <see cref="SandboxMechanism.Bubblewrap"/>.</param>
internal sealed record ConfinedLaunch(SandboxMechanism Mechanism, SandboxPolicy Policy, string? PrivateFolder, int LandlockAbi, string? Bubblewrap) : IDisposable
{
    /// <summary>The proxy of a <see cref="SandboxNetwork.Hosts"/> process, and the <c>socat</c> that relays it; <see cref="Dispose"/> stops it.</summary>
    public (EgressProxy Proxy, string Socat)? Egress { get; init; }

    /// <summary>Why the process is not confined, when <see cref="Mechanism"/> is <see cref="SandboxMechanism.None"/>.</summary>
    public string? Unconfined { get; init; }

    /// <summary>The mechanism's name as the run log shows it.</summary>
    public string MechanismName => Mechanism switch
    {
        SandboxMechanism.Landlock => "landlock",
        SandboxMechanism.Bubblewrap => "bubblewrap",
        _ => "none",
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Egress?.Proxy.Dispose();
        if (PrivateFolder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(PrivateFolder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process that outlived its tree still writes there; the temporary folder is the system's to clean.
        }
    }
}
