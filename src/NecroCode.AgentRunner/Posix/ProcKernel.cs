using System.Buffers;
using System.Globalization;

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// What the kernel tells about itself in <c>/proc</c> (Linux): the process-id range, the last id handed out, the
/// number of processes created since boot, and the boot id.
/// </summary>
internal static class ProcKernel
{
    /// <summary>The largest process id plus one (<c>/proc/sys/kernel/pid_max</c>; 32768, the smallest default, when unreadable).</summary>
    public static int ProcessIdLimit { get; } = ReadNumber("/proc/sys/kernel/pid_max", 0) is > 0 and <= int.MaxValue and var limit ? (int)limit : 32768;

    /// <summary>
    /// Whether <c>/proc/loadavg</c> is the kernel's own file: lxcfs mounts one of its own over it whose last field is
    /// not the last process id handed out.
    /// </summary>
    public static bool LoadAverageIsTheKernels { get; } = !MountedOver("/proc/loadavg");

    /// <summary>The number of processes and threads created since boot (<c>processes</c> of <c>/proc/stat</c>); null when unreadable.</summary>
    public static long? ReadForkCount()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            var read = ReadWhole("/proc/stat", buffer);
            ReadOnlySpan<byte> text = buffer.AsSpan(0, Math.Max(read, 0));
            var at = text.IndexOf("\nprocesses "u8);
            if (at < 0)
            {
                return null;
            }

            var rest = text[(at + "\nprocesses "u8.Length)..];
            var end = rest.IndexOf((byte)'\n');
            return long.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The kernel's boot id (<c>/proc/sys/kernel/random/boot_id</c>): tells a reboot apart; null when unreadable or not Linux.</summary>
    public static string? ReadBootId()
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

    /// <summary>The process id the kernel handed out last in this namespace (the fifth field of <c>/proc/loadavg</c>); null when unreadable.</summary>
    public static int? ReadLastProcessId() => ReadNumber("/proc/loadavg", 4) is > 0 and <= int.MaxValue and var last ? (int)last : null;

    /// <summary>Whether something is mounted at <paramref name="path"/> (a mount point in <c>/proc/self/mountinfo</c>).</summary>
    private static bool MountedOver(string path)
    {
        try
        {
            // Fields: id, parent, major:minor, root, mount point, …
            return File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ') is { Length: > 4 } fields && fields[4] == path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The space-separated field <paramref name="index"/> (from 0) of a one-line file; null when unreadable.</summary>
    private static long? ReadNumber(string path, int index)
    {
        Span<byte> buffer = stackalloc byte[256];
        var read = ReadWhole(path, buffer);
        if (read <= 0)
        {
            return null;
        }

        var rest = (ReadOnlySpan<byte>)buffer[..read];
        for (var i = 0; i < index; i++)
        {
            var space = rest.IndexOf((byte)' ');
            if (space < 0)
            {
                return null;
            }

            rest = rest[(space + 1)..];
        }

        var end = rest.IndexOfAny((byte)' ', (byte)'\n');
        return long.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>Reads a small generated file into <paramref name="buffer"/>; the bytes read, or -1.</summary>
    private static int ReadWhole(string path, Span<byte> buffer)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer[total..], total)) > 0)
            {
                total += read;
            }

            return total;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
