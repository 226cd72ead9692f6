using System.Runtime.InteropServices;

namespace NecroCode.AgentRunner.Processes;

/// <summary>The few libc calls process execution needs (Linux).</summary>
internal static class NativeMethods
{
    internal const int SigInt = 2;
    internal const int SigKill = 9;
    internal const int SigTerm = 15;

    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC on Linux

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SysOpen(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint SysRead(int descriptor, ref byte buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SysClose(int descriptor);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SysKill(int pid, int signal);

    [DllImport("libc", EntryPoint = "sysconf", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long SysConf(int name);

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="processGroupId"/>.</summary>
    /// <returns>Whether the group existed.</returns>
    internal static bool SignalGroup(int processGroupId, int signal) =>
        processGroupId > 1 && SysKill(-processGroupId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process.</summary>
    /// <returns>Whether the process existed.</returns>
    internal static bool SignalProcess(int processId, int signal) =>
        processId > 1 && SysKill(processId, signal) == 0;

    /// <summary>
    /// Reads the start of a small file (a <c>/proc</c> entry) with one open, read and close, without the
    /// checks and locking of a managed file handle.
    /// </summary>
    /// <param name="path">The path, UTF-8 and terminated by a zero byte.</param>
    /// <param name="buffer">Receives the bytes.</param>
    /// <returns>The number of bytes read, or -1 when the file could not be opened or read.</returns>
    internal static int ReadSmallFile(byte[] path, Span<byte> buffer)
    {
        var descriptor = SysOpen(path, ReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            return -1;
        }

        try
        {
            return (int)SysRead(descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length);
        }
        finally
        {
            _ = SysClose(descriptor);
        }
    }

    /// <summary>Clock ticks a second, the unit of CPU times in <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    internal static long ClockTicksPerSecond()
    {
        try
        {
            var ticks = SysConf(ClockTicksName);
            return ticks > 0 ? ticks : 100;
        }
        catch (EntryPointNotFoundException)
        {
            return 100;
        }
        catch (DllNotFoundException)
        {
            return 100;
        }
    }
}
