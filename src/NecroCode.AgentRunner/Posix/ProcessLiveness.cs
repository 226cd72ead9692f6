using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// Whether a process of this machine still runs, by one rule: a process is its id plus its start time. An id alone
/// says nothing once the process ended, because ids are reused (by this very host too); a zombie no longer runs.
/// </summary>
/// <remarks>
/// Two records of a process exist. One that the process wrote itself holds its start time exactly
/// (<see cref="StartTimeOf"/>, compared by <see cref="IsRunning"/>). One that holds only a wall-clock moment the
/// process recorded after it started (a runner registration) is compared coarsely: a process under that id that
/// started more than <see cref="ReuseMargin"/> after the moment is another process (<see cref="MayBeRunning"/>).
/// </remarks>
internal static class ProcessLiveness
{
    /// <summary>A process that started this long after a moment it is said to have recorded did not record it.</summary>
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The start time of a running process as an exact token: on Linux field 22 of <c>/proc/&lt;pid&gt;/stat</c>
    /// (clock ticks after boot), elsewhere the UTC ticks of <see cref="Process.StartTime"/>.
    /// </summary>
    /// <param name="processId">The process.</param>
    /// <param name="running">Whether a process with that id runs (not a zombie); true when that cannot be told.</param>
    /// <returns>The token; null when the process does not run or its start cannot be read.</returns>
    public static string? StartTimeOf(int processId, out bool running)
    {
        if (OperatingSystem.IsLinux())
        {
            var stat = ProcFs.ReadStat(processId);
            running = stat is { IsGone: false };
            return stat?.StartTicks.ToString(CultureInfo.InvariantCulture);
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
        catch (Exception ex) when (ex is Win32Exception or NotSupportedException)
        {
            running = true;
            return null;
        }
    }

    /// <summary>
    /// Whether the process <paramref name="processId"/> that started at <paramref name="startTime"/> (a token of
    /// <see cref="StartTimeOf"/>) still runs: the id runs, and not as a process that started at another time. When
    /// either start is unknown, the id alone decides.
    /// </summary>
    /// <param name="processId">The process.</param>
    /// <param name="startTime">Its recorded start; null when unknown.</param>
    /// <returns>False only when that process certainly no longer runs.</returns>
    public static bool IsRunning(int processId, string? startTime)
    {
        var now = StartTimeOf(processId, out var running);
        return running && (startTime is null || now is null || string.Equals(startTime, now, StringComparison.Ordinal));
    }

    /// <summary>When a running process of this machine started, by the wall clock (coarse: whole seconds on Linux).</summary>
    /// <param name="processId">The process.</param>
    /// <returns>Its start in UTC; null when it does not run (or is a zombie) or its start cannot be read.</returns>
    public static DateTimeOffset? StartedAtUtc(int processId)
    {
        if (OperatingSystem.IsLinux() && ProcFs.IsAvailable && ProcFs.ReadStat(processId) is not { IsGone: false })
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a process that started at <paramref name="started"/> can be the one that recorded
    /// <paramref name="recordedAt"/> after its start: it did not start more than <see cref="ReuseMargin"/> later.
    /// </summary>
    /// <param name="started">When the process now under the id started.</param>
    /// <param name="recordedAt">The moment the earlier process recorded.</param>
    /// <returns>False when the id was reused.</returns>
    public static bool CanHaveRecorded(DateTimeOffset started, DateTimeOffset recordedAt) => started <= recordedAt + ReuseMargin;

    /// <summary>
    /// Whether the process <paramref name="processId"/> that recorded <paramref name="recordedAt"/> after its start
    /// (e.g. when it registered a runner) may still run: the id runs a process that can have recorded it.
    /// </summary>
    /// <param name="processId">The process.</param>
    /// <param name="recordedAt">The moment it recorded.</param>
    /// <returns>False when that process certainly no longer runs.</returns>
    public static bool MayBeRunning(int processId, DateTimeOffset recordedAt) =>
        StartedAtUtc(processId) is { } started && CanHaveRecorded(started, recordedAt);
}
