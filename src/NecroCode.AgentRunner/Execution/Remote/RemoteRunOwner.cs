using System.Globalization;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Which host process started a run out of process, as a label to put on what it creates (a container, a Job):
/// <c>host/pid/start</c>, where <c>start</c> is the process's start time. A pid alone is not enough: pids are reused,
/// by this very process too. At start, an environment removes what owners that no longer run left behind.
/// </summary>
public static class RemoteRunOwner
{
    private static readonly Lazy<string> CurrentLabel = new(() => Label(Environment.ProcessId) ?? "");

    /// <summary>This process's label.</summary>
    public static string Current => CurrentLabel.Value;

    /// <summary>The label of process <paramref name="processId"/> on this host.</summary>
    /// <param name="processId">The process.</param>
    /// <returns>The label; null when the process does not run.</returns>
    public static string? Label(int processId) =>
        ProcessLiveness.StartTimeOf(processId, out var running) is { } start && running
            ? string.Join('/', HostName, processId.ToString(CultureInfo.InvariantCulture), start)
            : null;

    /// <summary>
    /// Whether the owner named by <paramref name="label"/> still runs: false when that pid runs no more, or runs a
    /// process that started at another time, or the label is not one; true for an owner on another host (it is not
    /// this host's to judge).
    /// </summary>
    /// <param name="label">A label of <see cref="Label"/>.</param>
    /// <returns>Whether the owner may still run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    public static bool IsAlive(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var parts = label.Split('/');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (!string.Equals(parts[0], HostName, StringComparison.Ordinal))
        {
            return true;
        }

        var start = ProcessLiveness.StartTimeOf(pid, out var running);
        return running && (string.Equals(start, parts[2], StringComparison.Ordinal) || IsEarlierFormOf(start, parts[2]));
    }

    /// <summary>
    /// Outside Linux, labels written by earlier versions held the start in whole seconds since the epoch rather than
    /// in ticks: such an owner is recognised too, so that its live containers are not taken for leftovers.
    /// </summary>
    private static bool IsEarlierFormOf(string? start, string recorded) =>
        !OperatingSystem.IsLinux()
        && long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && string.Equals(
            new DateTimeOffset(ticks, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            recorded,
            StringComparison.Ordinal);

    private static string HostName => Environment.MachineName.ToLowerInvariant().Replace('/', '_');
}
