using System.Diagnostics;
using System.Globalization;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// Who holds a lock or a lease: process id, host, the process's start time (guards against pid reuse)
/// and the boot id (guards against a reboot).
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
    private static readonly Lazy<ProcessIdentity> CurrentIdentity = new(() => Of(Environment.ProcessId) ?? new(Environment.ProcessId, Environment.MachineName, null, ReadBootId()));

    /// <summary>The current process.</summary>
    public static ProcessIdentity Current => CurrentIdentity.Value;

    /// <summary>Reads the identity of a running process of this machine.</summary>
    /// <param name="processId">Its id.</param>
    /// <returns>Its identity, or null when no such process runs.</returns>
    public static ProcessIdentity? Of(int processId)
    {
        var start = ReadStartTime(processId, out var running);
        return running ? new(processId, Environment.MachineName, start, ReadBootId()) : null;
    }

    /// <summary>When a process of this machine started, by the wall clock (coarse: whole seconds on Linux).</summary>
    /// <param name="processId">Its id.</param>
    /// <returns>Its start in UTC, or null when no such process runs or the start cannot be read.</returns>
    public static DateTimeOffset? StartedAtUtc(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
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

        var bootId = ReadBootId();
        if (BootId is not null && bootId is not null && !string.Equals(BootId, bootId, StringComparison.Ordinal))
        {
            return true;
        }

        var start = ReadStartTime(ProcessId, out var running);
        if (!running)
        {
            return true;
        }

        return StartTime is not null && start is not null && !string.Equals(StartTime, start, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() => $"pid {ProcessId} on {Host} (started {StartTime ?? "?"})";

    private static string? ReadStartTime(int processId, out bool running)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                running = false;
                return null;
            }

            // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            running = fields.Length > 19 && fields[0] is not ("Z" or "X" or "x");
            return fields.Length > 19 ? fields[19] : null;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            running = !process.HasExited;
            return process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            running = false;
            return null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or NotSupportedException)
        {
            running = true;
            return null;
        }
    }

    private static string? ReadBootId()
    {
        try
        {
            return OperatingSystem.IsLinux() ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
