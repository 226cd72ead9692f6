using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>A raw POSIX file descriptor, opened without the implicit <c>flock</c> .NET takes for <see cref="FileShare"/>.</summary>
internal sealed class UnixFileHandle : SafeHandleMinusOneIsInvalid
{
    private const int SeekEnd = 2;

    public UnixFileHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>The file's current size.</summary>
    public long Length(string path)
    {
        var size = Libc.NativeMethods.lseek(this, 0, SeekEnd);
        return size >= 0 ? size : throw Libc.Error(Marshal.GetLastPInvokeError(), $"lseek '{path}'");
    }

    /// <summary>Writes all of <paramref name="buffer"/> at the descriptor's position (the end, with O_APPEND).</summary>
    public void WriteAll(byte[] buffer, string path)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        // One write(2) puts the whole line at the end with O_APPEND; a short write (disk full) is an error,
        // not something to continue: a continuation could land after another writer's data without the lock.
        var written = Libc.NativeMethods.write(this, buffer, buffer.Length);
        if (written < 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError(), $"write '{path}'");
        }

        if (written != buffer.Length)
        {
            throw new IOException($"write '{path}' wrote {written} of {buffer.Length} bytes.");
        }
    }

    /// <summary>Replaces the file's content with <paramref name="buffer"/> (write at 0, then cut to its length).</summary>
    /// <remarks>
    /// Written over the old content and then cut, not truncated first: a lock file's owner record has nearly
    /// the same length every time, so its data block is reused instead of freed and allocated again on
    /// every acquisition (which made each later fsync of the same file system commit that churn too).
    /// </remarks>
    public void Overwrite(byte[] buffer, string path)
    {
        var written = Libc.NativeMethods.pwrite(this, buffer, buffer.Length, 0);
        if (written < 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError(), $"pwrite '{path}'");
        }

        if (written != buffer.Length)
        {
            throw new IOException($"pwrite '{path}' wrote {written} of {buffer.Length} bytes.");
        }

        if (Libc.NativeMethods.ftruncate(this, buffer.Length) != 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError(), $"ftruncate '{path}'");
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/>.</summary>
    public int ReadAt(byte[] buffer, long offset, string path)
    {
        var read = Libc.NativeMethods.pread(this, buffer, buffer.Length, offset);
        return read >= 0 ? (int)read : throw Libc.Error(Marshal.GetLastPInvokeError(), $"pread '{path}'");
    }

    protected override bool ReleaseHandle() => Libc.NativeMethods.close(handle) == 0;
}
