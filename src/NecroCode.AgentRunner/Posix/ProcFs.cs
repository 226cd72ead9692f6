using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// The one reader of <c>/proc</c> (Linux): process ids, <c>/proc/&lt;pid&gt;/stat</c> (<see cref="ReadStat"/>),
/// environments, and the kernel's process counters.
/// </summary>
internal static class ProcFs
{
    private const string Root = "/proc";
    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC on Linux

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
                read = ReadSmallFile(path, buffer);
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

    /// <summary>Whether the environment of <paramref name="pid"/> holds <paramref name="entry"/> (<c>NAME=value</c>, see <see cref="EntryBytes"/>).</summary>
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

    /// <summary>Whether <see cref="ReadSmallFile"/> can be called here.</summary>
    private static bool ProbeNativeReads()
    {
        try
        {
            Span<byte> buffer = stackalloc byte[16];
            return ReadSmallFile("/proc/self/stat\0"u8.ToArray(), buffer) > 0;
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

    /// <summary>The bytes of an environment entry, as they appear in <c>environ</c>.</summary>
    public static byte[] EntryBytes(string name, string value) => Encoding.UTF8.GetBytes(name + "=" + value);

    /// <summary>Clock ticks a second, the unit of CPU and start times in <c>/proc/&lt;pid&gt;/stat</c> (100 when unknown).</summary>
    public static long ClockTicksPerSecond { get; } = ReadClockTicksPerSecond();

    private static long ReadClockTicksPerSecond()
    {
        try
        {
            var ticks = Libc.sysconf(ClockTicksName);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return 100;
        }
    }

    /// <summary>
    /// Reads the start of a small file (a <c>/proc</c> entry) with one open, read and close, without the
    /// checks and locking of a managed file handle.
    /// </summary>
    /// <param name="path">The path, UTF-8 and terminated by a zero byte.</param>
    /// <param name="buffer">Receives the bytes.</param>
    /// <returns>The number of bytes read, or -1 when the file could not be opened or read.</returns>
    private static int ReadSmallFile(byte[] path, Span<byte> buffer)
    {
        var descriptor = Libc.open(path, ReadOnlyCloseOnExec, 0);
        if (descriptor < 0)
        {
            return -1;
        }

        try
        {
            return (int)Libc.read(descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length);
        }
        finally
        {
            _ = Libc.close(descriptor);
        }
    }
}
