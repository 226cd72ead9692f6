using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// Opens a file below a folder for reading without following a symbolic link in any component: each folder
/// is opened with <c>openat(2)</c> and <c>O_NOFOLLOW | O_DIRECTORY</c> relative to the one before, the file
/// with <c>O_NOFOLLOW | O_NONBLOCK</c> (a planted FIFO cannot block the host). Where the call is not
/// available (not Linux or macOS), each component is checked with <c>lstat</c> before the file is opened.
/// </summary>
internal static class NoFollowFile
{
    private const int ReadOnly = 0;
    private const int LinuxNonBlock = 0x800;
    private const int LinuxCloseOnExec = 0x80000;
    private const int MacNonBlock = 0x4;
    private const int MacNoFollow = 0x100;
    private const int MacDirectory = 0x100000;
    private const int MacCloseOnExec = 0x1000000;
    private const int SymbolicLinkLoop = 40;
    private const int MacSymbolicLinkLoop = 62;
    private const int NotDirectory = 20;
    private const int Interrupted = 4;
    private const int NoEntry = 2;

    /// <summary>Opens <paramref name="segments"/> below <paramref name="root"/> (a folder the host made).</summary>
    /// <param name="root">The folder; symbolic links in its own path are the host's and are followed.</param>
    /// <param name="segments">Plain names, none empty, <c>.</c> or <c>..</c>.</param>
    /// <param name="refusal">Why nothing was opened; null when the file (or a folder on its way) does not exist.</param>
    /// <returns>A seekable stream over a regular file, or null.</returns>
    public static FileStream? TryOpen(string root, IReadOnlyList<string> segments, out string? refusal)
    {
        if (Flags() is not { } flags)
        {
            return TryOpenChecked(root, segments, out refusal);
        }

        var current = Open(flags.CurrentDirectory, root, ReadOnly | flags.Directory | flags.CloseOnExec, out var errno);
        if (current is null)
        {
            refusal = $"the job folder could not be opened ({Marshal.GetPInvokeErrorMessage(errno)})";
            return null;
        }

        try
        {
            for (var i = 0; i < segments.Count; i++)
            {
                var last = i == segments.Count - 1;
                var mode = ReadOnly | flags.NoFollow | flags.CloseOnExec | (last ? flags.NonBlock : flags.Directory);
                var next = Open((int)current.DangerousGetHandle(), segments[i], mode, out errno);
                if (next is null)
                {
                    refusal = errno == NoEntry ? null
                        : errno == flags.Loop || (errno == NotDirectory && !last)
                        ? $"'{string.Join('/', segments.Take(i + 1))}' is a symbolic link or not a folder; links are not followed"
                        : $"'{string.Join('/', segments.Take(i + 1))}' could not be opened ({Marshal.GetPInvokeErrorMessage(errno)})";
                    return null;
                }

                current.Dispose();
                current = next;
            }

            var stream = RegularFile(current, out refusal);
            if (stream is not null)
            {
                current = null;
            }

            return stream;
        }
        finally
        {
            current?.Dispose();
        }
    }

    private static FileStream? RegularFile(SafeFileHandle handle, out string? refusal)
    {
        if ((File.GetAttributes(handle) & FileAttributes.Directory) != 0)
        {
            refusal = "it is a folder, not a file";
            return null;
        }

        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            // A FIFO, socket or device: never read.
            stream.Dispose();
            refusal = "it is not a regular file";
            return null;
        }

        refusal = null;
        return stream;
    }

    private static FileStream? TryOpenChecked(string root, IReadOnlyList<string> segments, out string? refusal)
    {
        var path = root;
        foreach (var segment in segments)
        {
            path = Path.Join(path, segment);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                refusal = $"'{Path.GetRelativePath(root, path)}' is a symbolic link; links are not followed";
                return null;
            }
        }

        if (!File.Exists(path))
        {
            refusal = Directory.Exists(path) ? "it is a folder, not a file" : null;
            return null;
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var stream = RegularFile(handle, out refusal);
        if (stream is null)
        {
            handle.Dispose();
        }

        return stream;
    }

    private static SafeFileHandle? Open(int directory, string name, int flags, out int errno)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, bytes);
        while (true)
        {
            var fd = Libc.openat(directory, bytes, flags);
            if (fd >= 0)
            {
                errno = 0;
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno != Interrupted)
            {
                return null;
            }
        }
    }

    /// <summary>The open flags of this platform; null where <c>openat</c> is not used.</summary>
    private static OpenFlags? Flags()
    {
        if (OperatingSystem.IsMacOS())
        {
            return new OpenFlags(MacNoFollow, MacDirectory, MacNonBlock, MacCloseOnExec, MacSymbolicLinkLoop, -2);
        }

        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // O_DIRECTORY and O_NOFOLLOW differ between the x86 and the Arm families on Linux.
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => new OpenFlags(0x20000, 0x10000, LinuxNonBlock, LinuxCloseOnExec, SymbolicLinkLoop, -100),
            Architecture.Arm64 or Architecture.Arm => new OpenFlags(0x8000, 0x4000, LinuxNonBlock, LinuxCloseOnExec, SymbolicLinkLoop, -100),
            _ => null,
        };
    }

    /// <summary>O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK, O_CLOEXEC, ELOOP and AT_FDCWD of one platform.</summary>
    private sealed record OpenFlags(int NoFollow, int Directory, int NonBlock, int CloseOnExec, int Loop, int CurrentDirectory);
}
