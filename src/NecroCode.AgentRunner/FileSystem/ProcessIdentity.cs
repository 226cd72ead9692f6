using System.Diagnostics;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// Who holds a lock or a lease: process id, host, the process's start time (guards against pid reuse, by the rule
/// of <see cref="ProcessLiveness"/>) and the boot id (guards against a reboot).
/// </summary>
/// <param name="ProcessId">The process id.</param>
/// <param name="Host">The machine name.</param>
/// <param name="StartTime">
/// The process's start: on Linux field 22 of <c>/proc/&lt;pid&gt;/stat</c> (clock ticks since boot), elsewhere
/// the UTC ticks of <see cref="Process.StartTime"/>; null when unknown.
/// </param>
/// <param name="BootId">The kernel's boot id (Linux); null elsewhere.</param>
internal sealed record ProcessIdentity(int ProcessId, string Host, string? StartTime, string? BootId)
{
    private static readonly Lazy<ProcessIdentity> CurrentIdentity = new(() => Of(Environment.ProcessId) ?? new(Environment.ProcessId, Environment.MachineName, null, ProcKernel.ReadBootId()));

    /// <summary>The current process.</summary>
    public static ProcessIdentity Current => CurrentIdentity.Value;

    /// <summary>Reads the identity of a running process of this machine.</summary>
    /// <param name="processId">Its id.</param>
    /// <returns>Its identity, or null when no such process runs.</returns>
    public static ProcessIdentity? Of(int processId)
    {
        var start = ProcessLiveness.StartTimeOf(processId, out var running);
        return running ? new(processId, Environment.MachineName, start, ProcKernel.ReadBootId()) : null;
    }

    /// <summary>
    /// Whether this holder is known to be gone: same host and either another boot, no such process, a
    /// zombie, or a different process under the same id. A holder on another host is never known gone.
    /// </summary>
    /// <returns>True only when the holder certainly no longer runs.</returns>
    public bool IsKnownDead()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        var bootId = ProcKernel.ReadBootId();
        if (BootId is not null && bootId is not null && !string.Equals(BootId, bootId, StringComparison.Ordinal))
        {
            return true;
        }

        return !ProcessLiveness.IsRunning(ProcessId, StartTime);
    }

    /// <inheritdoc />
    public override string ToString() => $"pid {ProcessId} on {Host} (started {StartTime ?? "?"})";
}
