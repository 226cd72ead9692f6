using System.Runtime.InteropServices;
using System.Text;

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// The file calls of <see cref="Libc"/> with their errors checked: <c>open(2)</c> without the implicit
/// <c>flock</c> .NET takes for <see cref="FileShare"/>, <c>link(2)</c> (create-if-absent with complete content)
/// and <c>fsync(2)</c> of a directory.
/// </summary>
internal static class UnixFile
{
    /// <summary>The default mode of a created file: rw-r--r--.</summary>
    private const int DefaultMode = 420;

    /// <summary>A path as a NUL-terminated UTF-8 byte array, as the C library takes it.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The bytes.</returns>
    public static byte[] PathBytes(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>Opens <paramref name="path"/> with <c>open(2)</c> (close-on-exec), retrying on EINTR.</summary>
    /// <param name="path">The file.</param>
    /// <param name="flags">The open flags (<see cref="Libc.ReadWrite"/>, <see cref="Libc.Create"/> …).</param>
    /// <param name="mode">The mode of a created file.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="IOException">The file could not be opened; the message names it and the error.</exception>
    public static UnixFileHandle Open(string path, int flags, int mode = DefaultMode)
    {
        var bytes = PathBytes(path);
        while (true)
        {
            var descriptor = Libc.open(bytes, flags | Libc.CloseOnExec, mode);
            if (descriptor >= 0)
            {
                return new UnixFileHandle(descriptor);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Libc.Interrupted)
            {
                throw Libc.Error(errno, $"open '{path}'");
            }
        }
    }

    /// <summary>Creates a hard link.</summary>
    /// <param name="existingPath">The file to link to.</param>
    /// <param name="newPath">The new name.</param>
    /// <returns>True when linked; false when <paramref name="newPath"/> already exists.</returns>
    /// <exception cref="IOException">The link failed for another reason.</exception>
    public static bool TryLink(string existingPath, string newPath)
    {
        if (Libc.link(PathBytes(existingPath), PathBytes(newPath)) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Libc.Exists ? false : throw Libc.Error(errno, $"link '{existingPath}' to '{newPath}'");
    }

    /// <summary>Flushes a directory's entries (after a create, rename or delete in it); nothing where the call is missing.</summary>
    /// <param name="directory">The directory.</param>
    public static void FsyncDirectory(string directory)
    {
        if (!Libc.IsSupported)
        {
            return;
        }

        using var handle = Open(directory, Libc.ReadOnly);
        handle.Fsync(directory);
    }
}
