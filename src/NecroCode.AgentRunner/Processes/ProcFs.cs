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
internal readonly record struct ProcStat(int ProcessId, char State, int ProcessGroupId, int SessionId, long CpuTicks, long StartTicks, long ResidentPages)
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
        // One small read without a FileStream: a sweep reads every process's stat, so this path stays cheap.
        Span<byte> buffer = stackalloc byte[1024];
        string text;
        try
        {
            using var handle = File.OpenHandle(string.Create(CultureInfo.InvariantCulture, $"{Root}/{pid}/stat"));
            var read = RandomAccess.Read(handle, buffer, 0);
            text = Encoding.ASCII.GetString(buffer[..read]);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return ParseStat(pid, text);
    }

    /// <summary>Parses the text of a stat file (the command name may hold spaces and parentheses).</summary>
    internal static ProcStat? ParseStat(int pid, string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        // Fields after the command name, from field 3 (state) on.
        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 22)
        {
            return null;
        }

        static long At(string[] f, int field) =>
            long.TryParse(f[field - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

        return new ProcStat(
            pid,
            fields[0][0],
            (int)At(fields, 5),
            (int)At(fields, 6),
            At(fields, 14) + At(fields, 15),
            At(fields, 22),
            At(fields, 24));
    }

    /// <summary>Whether the environment of <paramref name="pid"/> holds exactly <paramref name="entry"/> (<c>NAME=value</c>).</summary>
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

    /// <summary>The bytes of an environment entry, as they appear in <c>environ</c>.</summary>
    public static byte[] EntryBytes(string name, string value) => Encoding.UTF8.GetBytes(name + "=" + value);
}
