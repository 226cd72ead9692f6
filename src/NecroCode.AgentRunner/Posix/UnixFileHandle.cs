using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NecroCode.AgentRunner.Posix;

/// <summary>A raw POSIX file descriptor, opened by <see cref="UnixFile.Open"/> without the implicit <c>flock</c> .NET takes for <see cref="FileShare"/>.</summary>
internal sealed class UnixFileHandle : SafeHandleMinusOneIsInvalid
{
    private const int SeekEnd = 2;

    public UnixFileHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of an open descriptor.</summary>
    /// <param name="descriptor">The descriptor.</param>
    public UnixFileHandle(int descriptor)
        : base(ownsHandle: true) => SetHandle(descriptor);

    /// <summary>The file's current size.</summary>
    public long Length(string path)
    {
        var size = Libc.lseek(this, 0, SeekEnd);
        return size >= 0 ? size : throw Libc.Error(Marshal.GetLastPInvokeError(), $"lseek '{path}'");
    }

    /// <summary>Writes all of <paramref name="buffer"/> with one <c>write(2)</c> at the descriptor's position (the end, with O_APPEND).</summary>
    public void WriteAll(byte[] buffer, string path)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        // One write(2) puts the whole line at the end with O_APPEND; a short write (disk full) is an error,
        // not something to continue: a continuation could land after another writer's data without the lock.
        var written = Libc.write(this, buffer, buffer.Length);
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
        var written = Libc.pwrite(this, buffer, buffer.Length, 0);
        if (written < 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError(), $"pwrite '{path}'");
        }

        if (written != buffer.Length)
        {
            throw new IOException($"pwrite '{path}' wrote {written} of {buffer.Length} bytes.");
        }

        if (Libc.ftruncate(this, buffer.Length) != 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError(), $"ftruncate '{path}'");
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/>.</summary>
    public int ReadAt(byte[] buffer, long offset, string path)
    {
        var read = Libc.pread(this, buffer, buffer.Length, offset);
        return read >= 0 ? (int)read : throw Libc.Error(Marshal.GetLastPInvokeError(), $"pread '{path}'");
    }

    /// <summary>Flushes the file's data and metadata to the disk.</summary>
    public void Fsync(string path)
    {
        if (Libc.fsync(this) != 0)
        {
            throw Libc.Error(Marshal.GetLastPInvokeError(), $"fsync '{path}'");
        }
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
