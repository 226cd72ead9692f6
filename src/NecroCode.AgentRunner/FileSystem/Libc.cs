using System.Runtime.InteropServices;
using System.Text;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// The few POSIX calls the file-system defaults need and .NET does not expose: <c>flock(2)</c> on a
/// descriptor .NET has not locked itself, <c>open(2)</c> with <c>O_APPEND</c>, <c>fsync(2)</c> of a
/// directory and <c>link(2)</c> (create-if-absent with complete content).
/// </summary>
/// <remarks>
/// Classic <see cref="DllImportAttribute"/> with blittable signatures: the source-generated
/// <c>LibraryImport</c> needs <c>AllowUnsafeBlocks</c> in the project. Paths travel as
/// NUL-terminated UTF-8 byte arrays, so no string marshalling is involved.
/// </remarks>
internal static class Libc
{
    private const string Library = "libc";

    internal const int LockShared = 1;
    internal const int LockExclusive = 2;
    internal const int LockNonBlocking = 4;
    internal const int LockUnlock = 8;

    internal const int ReadOnly = 0;
    internal const int ReadWrite = 2;

    internal static int Create { get; } = OperatingSystem.IsMacOS() ? 0x200 : 0x40;

    internal static int Append { get; } = OperatingSystem.IsMacOS() ? 0x8 : 0x400;

    internal static int CloseOnExec { get; } = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    internal static int WouldBlock { get; } = OperatingSystem.IsMacOS() ? 35 : 11;

    internal const int Interrupted = 4;
    internal const int Exists = 17;
    internal const int NoEntry = 2;

    /// <summary>Whether this platform has the calls (Linux, macOS).</summary>
    internal static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    internal static byte[] PathBytes(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>Opens <paramref name="path"/> with <c>open(2)</c>, retrying on EINTR.</summary>
    internal static UnixFileHandle Open(string path, int flags, int mode = 420)
    {
        var bytes = PathBytes(path);
        while (true)
        {
            var handle = NativeMethods.open(bytes, flags | CloseOnExec, mode);
            if (!handle.IsInvalid)
            {
                return handle;
            }

            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno != Interrupted)
            {
                throw Error(errno, $"open '{path}'");
            }
        }
    }

    /// <summary>Creates a hard link; false when <paramref name="newPath"/> already exists.</summary>
    internal static bool TryLink(string existingPath, string newPath)
    {
        if (NativeMethods.link(PathBytes(existingPath), PathBytes(newPath)) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Exists ? false : throw Error(errno, $"link '{existingPath}' to '{newPath}'");
    }

    /// <summary>Flushes a directory's entries (after a create, rename or delete in it).</summary>
    internal static void FsyncDirectory(string directory)
    {
        if (!IsSupported)
        {
            return;
        }

        using var handle = Open(directory, ReadOnly);
        Fsync(handle, directory);
    }

    internal static void Fsync(UnixFileHandle handle, string path)
    {
        if (NativeMethods.fsync(handle) != 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), $"fsync '{path}'");
        }
    }

    internal static IOException Error(int errno, string operation) =>
        new($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);

#pragma warning disable SA1300, IDE1006 // Native names.
    internal static class NativeMethods
    {
        [DllImport(Library, SetLastError = true)]
        internal static extern UnixFileHandle open(byte[] path, int flags, int mode);

        [DllImport(Library, SetLastError = true)]
        internal static extern int close(IntPtr fd);

        [DllImport(Library, SetLastError = true)]
        internal static extern int flock(UnixFileHandle fd, int operation);

        [DllImport(Library, SetLastError = true)]
        internal static extern int fsync(UnixFileHandle fd);

        [DllImport(Library, SetLastError = true)]
        internal static extern nint write(UnixFileHandle fd, byte[] buffer, nint count);

        [DllImport(Library, SetLastError = true)]
        internal static extern nint pwrite(UnixFileHandle fd, byte[] buffer, nint count, long offset);

        [DllImport(Library, SetLastError = true)]
        internal static extern nint pread(UnixFileHandle fd, byte[] buffer, nint count, long offset);

        [DllImport(Library, SetLastError = true)]
        internal static extern long lseek(UnixFileHandle fd, long offset, int whence);

        [DllImport(Library, SetLastError = true)]
        internal static extern int ftruncate(UnixFileHandle fd, long length);

        [DllImport(Library, SetLastError = true)]
        internal static extern int link(byte[] existingPath, byte[] newPath);
    }
#pragma warning restore SA1300, IDE1006
}
