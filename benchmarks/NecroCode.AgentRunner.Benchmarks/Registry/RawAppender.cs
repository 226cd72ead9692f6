using System.Runtime.InteropServices;
using System.Text;

namespace NecroCode.AgentRunner.Benchmarks.Registry;

/// <summary>
/// The physical limit of the registry's event-log design: one <c>write(2)</c> per line on a descriptor
/// opened with <c>O_APPEND</c>, optionally followed by <c>fsync(2)</c>, and no lock at all.
/// </summary>
internal sealed class RawAppender : IDisposable
{
    private const int WriteOnly = 1;
    private static readonly int Create = OperatingSystem.IsMacOS() ? 0x200 : 0x40;
    private static readonly int Append = OperatingSystem.IsMacOS() ? 0x8 : 0x400;
    private readonly int _fd;
    private readonly bool _fsync;

    public RawAppender(string path, bool fsync)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        _fd = NativeMethods.open(bytes, WriteOnly | Create | Append, 420);
        if (_fd < 0)
        {
            throw new IOException($"open '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        _fsync = fsync;
    }

    public void AppendLine(byte[] line)
    {
        var written = NativeMethods.write(_fd, line, line.Length);
        if (written != line.Length)
        {
            throw new IOException($"write returned {written} of {line.Length} (errno {Marshal.GetLastPInvokeError()}).");
        }

        if (_fsync && NativeMethods.fsync(_fd) != 0)
        {
            throw new IOException($"fsync failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    public void Dispose() => _ = NativeMethods.close(_fd);

#pragma warning disable SA1300, IDE1006, CA5392 // Native names; libc is a system library.
    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        internal static extern int open(byte[] path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        internal static extern nint write(int fd, byte[] buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int close(int fd);
    }
#pragma warning restore SA1300, IDE1006, CA5392
}
