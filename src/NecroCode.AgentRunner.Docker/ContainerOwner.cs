using System.Diagnostics;
using System.Globalization;

namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// Which host process created a container, as its <c>necrocode.owner</c> label: <c>host/pid/start</c>, where
/// <c>start</c> is the process's start time (clock ticks since boot from <c>/proc/&lt;pid&gt;/stat</c> on Linux,
/// else seconds since the epoch). A pid alone is not enough: pids are reused, by this very process too.
/// </summary>
internal static class ContainerOwner
{
    private static readonly Lazy<string> CurrentLabel = new(() => Label(Environment.ProcessId) ?? "");

    /// <summary>This process's label.</summary>
    public static string Current => CurrentLabel.Value;

    /// <summary>The label of process <paramref name="pid"/> on this host; null when it does not run.</summary>
    public static string? Label(int pid) =>
        StartTime(pid) is { } start ? string.Join('/', HostName, pid.ToString(CultureInfo.InvariantCulture), start) : null;

    /// <summary>
    /// Whether the owner named by <paramref name="label"/> still runs: false when that pid runs no more or runs
    /// a process that started at another time; true for an owner on another host (it is not this host's to judge).
    /// </summary>
    public static bool IsAlive(string label)
    {
        var parts = label.Split('/');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (!string.Equals(parts[0], HostName, StringComparison.Ordinal))
        {
            return true;
        }

        return string.Equals(StartTime(pid), parts[2], StringComparison.Ordinal);
    }

    private static string HostName => Environment.MachineName.ToLowerInvariant().Replace('/', '_');

    private static string? StartTime(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            // The name (field 2) is in parentheses and may hold spaces; starttime is field 22.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
