using System.Buffers;
using System.Globalization;
using System.Text;

namespace NecroCode.AgentRunner.Processes;

/// <summary>One line of <c>/proc/&lt;pid&gt;/stat</c>, the fields process execution uses.</summary>
/// <param name="ProcessId">The process.</param>
/// <param name="State">Its state letter (<c>Z</c> zombie, <c>X</c> dead).</param>
/// <param name="ProcessGroupId">Its process group.</param>
/// <param name="SessionId">Its session.</param>
/// <param name="CpuTicks">User plus system CPU time, in clock ticks.</param>
/// <param name="StartTicks">When it started, in clock ticks after boot (tells a reused pid apart).</param>
/// <param name="ResidentPages">Resident set size in pages.</param>
/// <param name="ParentId">Its parent process.</param>
/// <param name="ChildCpuTicks">
/// User plus system CPU time of its children that it waited for (and, through them, of their waited-for
/// descendants), in clock ticks: where the time of a short-lived child goes once the child is reaped.
/// </param>
internal readonly record struct ProcStat(int ProcessId, char State, int ProcessGroupId, int SessionId, long CpuTicks, long StartTicks, long ResidentPages, int ParentId = 0, long ChildCpuTicks = 0)
{
    /// <summary>Whether the process has ended (a zombie or dead entry).</summary>
    public bool IsGone => State is 'Z' or 'X' or 'x';
}

/// <summary>Reads what process execution needs from <c>/proc</c>.</summary>
internal static class ProcFs
{
    private const string Root = "/proc";

    /// <summary>Whether <c>/proc</c> is available.</summary>
    public static bool IsAvailable { get; } = File.Exists("/proc/self/stat");

    // Whether libc's open/read/close are callable (they are wherever /proc exists, unless P/Invoke is blocked).
    private static bool NativeReads { get; } = IsAvailable && ProbeNativeReads();

    /// <summary>The ids of all processes visible now.</summary>
    public static List<int> ListProcessIds()
    {
        var ids = new List<int>(512);
        if (!IsAvailable)
        {
            return ids;
        }

        foreach (var path in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(path.AsSpan());
            if (name.Length > 0 && char.IsAsciiDigit(name[0]) && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                ids.Add(pid);
            }
        }

        return ids;
    }

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

    /// <summary>The process id the kernel handed out last in this namespace (the fifth field of <c>/proc/loadavg</c>); null when unreadable.</summary>
    public static int? ReadLastProcessId() => ReadNumber("/proc/loadavg", 4) is > 0 and <= int.MaxValue and var last ? (int)last : null;

    /// <summary>Reads and parses <c>/proc/&lt;pid&gt;/stat</c>; null when the process is gone.</summary>
    public static ProcStat? ReadStat(int pid)
    {
        // One open, read and close into a stack buffer: a sweep reads every process's stat, so this path stays cheap.
        Span<byte> buffer = stackalloc byte[1024];
        int read;
        if (NativeReads)
        {
            Span<byte> name = stackalloc byte[32];
            read = -1;
            if (Encoding.ASCII.TryGetBytes($"{Root}/{pid}/stat", name, out var length))
            {
                var path = name[..(length + 1)].ToArray();
                path[^1] = 0;
                read = NativeMethods.ReadSmallFile(path, buffer);
            }

            if (read < 0)
            {
                return null;
            }
        }
        else
        {
            try
            {
                using var handle = File.OpenHandle(string.Create(CultureInfo.InvariantCulture, $"{Root}/{pid}/stat"));
                read = RandomAccess.Read(handle, buffer, 0);
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        return ParseStat(pid, buffer[..read]);
    }

    internal static ProcStat? ParseStat(int pid, ReadOnlySpan<byte> text)
    {
        var close = text.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        // Fields after the command name, from field 3 (state) on; only the first 24 fields are needed.
        Span<long> values = stackalloc long[25];
        var rest = text[(close + 2)..];
        byte state = 0;
        var field = 3;
        while (field <= 24)
        {
            rest = rest.TrimStart((byte)' ');
            if (rest.IsEmpty)
            {
                return null;
            }

            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var token = end < 0 ? rest : rest[..end];
            if (field == 3)
            {
                state = token[0];
            }
            else
            {
                values[field] = long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;
            }

            field++;
            rest = end < 0 ? [] : rest[end..];
        }

        return new ProcStat(pid, (char)state, (int)values[5], (int)values[6], values[14] + values[15], values[22], values[24], (int)values[4], values[16] + values[17]);
    }

    public static bool EnvironmentContains(int pid, ReadOnlySpan<byte> entry)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes(string.Create(CultureInfo.InvariantCulture, $"{Root}/{pid}/environ"));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = environ;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)0);
            var item = end < 0 ? rest : rest[..end];
            if (item.SequenceEqual(entry))
            {
                return true;
            }

            if (end < 0)
            {
                break;
            }

            rest = rest[(end + 1)..];
        }

        return false;
    }

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

    /// <summary>The bytes of an environment entry, as they appear in <c>environ</c>.</summary>
    private static bool ProbeNativeReads()
    {
        try
        {
            Span<byte> buffer = stackalloc byte[16];
            return NativeMethods.ReadSmallFile("/proc/self/stat\0"u8.ToArray(), buffer) > 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    public static byte[] EntryBytes(string name, string value) => Encoding.UTF8.GetBytes(name + "=" + value);
}
