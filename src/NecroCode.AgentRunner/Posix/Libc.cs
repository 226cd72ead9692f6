using System.Runtime.InteropServices;

// libc is resolved from the system's own directories only, for every native call of this assembly.
[assembly: DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// The C library calls the runner makes that .NET does not expose, each bound once: files (<c>open</c>,
/// <c>read</c>, <c>write</c>, positioned I/O, <c>flock</c>, <c>fsync</c>, <c>link</c>), signals (<c>kill</c>),
/// the clock-tick rate (<c>sysconf</c>) and starting and reaping children (<c>pipe2</c>, <c>wait4</c>,
/// <c>posix_spawn</c> and its attributes). Code outside this folder uses the checked helpers beside it
/// (<see cref="UnixFile"/>, <see cref="UnixFileHandle"/>, <see cref="Signals"/>, <see cref="ProcFs"/>) where one fits.
/// </summary>
/// <remarks>
/// Classic <see cref="DllImportAttribute"/> with blittable signatures: the source-generated
/// <c>LibraryImport</c> needs <c>AllowUnsafeBlocks</c> in the project. Paths travel as NUL-terminated UTF-8
/// byte arrays (<see cref="UnixFile.PathBytes"/>), so no string marshalling is involved. Numbers that differ
/// between Linux and macOS are properties; the rest are the same on both.
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

    internal const int Interrupted = 4;
    internal const int Exists = 17;
    internal const int NoEntry = 2;
    internal const int NoChild = 10;
    internal const int InvalidArgument = 22;

    internal static int Create { get; } = OperatingSystem.IsMacOS() ? 0x200 : 0x40;

    internal static int Append { get; } = OperatingSystem.IsMacOS() ? 0x8 : 0x400;

    internal static int CloseOnExec { get; } = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    internal static int WouldBlock { get; } = OperatingSystem.IsMacOS() ? 35 : 11;

    /// <summary>Whether this platform has the calls (Linux, macOS).</summary>
    internal static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>An <see cref="IOException"/> naming the failed operation and the error.</summary>
    /// <param name="errno">The error number.</param>
    /// <param name="operation">What failed, e.g. <c>open '/path'</c>.</param>
    /// <returns>The exception, with the error number as its HResult.</returns>
    internal static IOException Error(int errno, string operation) =>
        new($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);

#pragma warning disable SA1300, IDE1006 // Native names.
    [DllImport(Library, SetLastError = true)]
    internal static extern int open(byte[] path, int flags, int mode);

    [DllImport(Library, SetLastError = true)]
    internal static extern int openat(int directory, byte[] path, int flags);

    [DllImport(Library, SetLastError = true)]
    internal static extern int close(int descriptor);

    [DllImport(Library, SetLastError = true)]
    internal static extern nint read(int descriptor, ref byte buffer, nint count);

    [DllImport(Library, SetLastError = true)]
    internal static extern nint write(UnixFileHandle descriptor, byte[] buffer, nint count);

    [DllImport(Library, SetLastError = true)]
    internal static extern nint pwrite(UnixFileHandle descriptor, byte[] buffer, nint count, long offset);

    [DllImport(Library, SetLastError = true)]
    internal static extern nint pread(UnixFileHandle descriptor, byte[] buffer, nint count, long offset);

    [DllImport(Library, SetLastError = true)]
    internal static extern long lseek(UnixFileHandle descriptor, long offset, int whence);

    [DllImport(Library, SetLastError = true)]
    internal static extern int ftruncate(UnixFileHandle descriptor, long length);

    [DllImport(Library, SetLastError = true)]
    internal static extern int fsync(UnixFileHandle descriptor);

    [DllImport(Library, SetLastError = true)]
    internal static extern int flock(UnixFileHandle descriptor, int operation);

    [DllImport(Library, SetLastError = true)]
    internal static extern int link(byte[] existingPath, byte[] newPath);

    [DllImport(Library, SetLastError = true)]
    internal static extern int kill(int pid, int signal);

    [DllImport(Library)]
    internal static extern uint getuid();

    [DllImport(Library, SetLastError = true)]
    internal static extern long sysconf(int name);

    [DllImport(Library, SetLastError = true)]
    internal static extern int pipe2(int[] descriptors, int flags);

    [DllImport(Library, SetLastError = true)]
    internal static extern int wait4(int pid, out int status, int options, long[] usage);

    [DllImport(Library, SetLastError = true)]
    internal static extern int sigaction(int signal, nint action, nint oldAction);

    [DllImport(Library)]
    internal static extern int sigfillset(nint signals);

    [DllImport(Library)]
    internal static extern int sigemptyset(nint signals);

    [DllImport(Library)]
    internal static extern int posix_spawn(out int pid, byte[] path, nint fileActions, nint attributes, nint[] argv, nint[] envp);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_init(nint actions);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_destroy(nint actions);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_adddup2(nint actions, int descriptor, int newDescriptor);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_addchdir_np(nint actions, byte[] path);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_init(nint attributes);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_destroy(nint attributes);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_setflags(nint attributes, short flags);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_setsigmask(nint attributes, nint signals);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_setsigdefault(nint attributes, nint signals);
#pragma warning restore SA1300, IDE1006
}
