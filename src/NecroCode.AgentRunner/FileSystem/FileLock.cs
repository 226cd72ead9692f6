using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// A lock that excludes other processes (and other holders in this process): <c>flock(2)</c> on a lock
/// file opened with its own descriptor. It does not rely on <see cref="FileShare"/> (advisory on Linux and
/// switched off by <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>), and interoperates with the <c>flock</c>
/// command of util-linux. The kernel drops the lock when the holder dies, so a crashed holder never keeps
/// it. An exclusive holder writes its pid, host and start time into the file for diagnostics. Lock files are
/// never deleted: deleting one while another process waits on it would split the lock in two.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(32);
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;
    private readonly UnixFileHandle _handle;

    private FileLock(string path, FileLockMode mode, UnixFileHandle handle)
    {
        Path = path;
        Mode = mode;
        _handle = handle;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>How it is held.</summary>
    public FileLockMode Mode { get; }

    /// <summary>Takes the lock, polling (briefly at once, then with a growing back-off) until it is free.</summary>
    /// <param name="path">The lock file; created (with its folder) when missing.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <param name="timeout">Longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="TimeoutException">The lock stayed taken for <paramref name="timeout"/>; the message names the last holder.</exception>
    public static Task<FileLock> AcquireAsync(string path, FileLockMode mode, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        AcquireAsync(path, mode, timeout, timeProvider, holder: null, cancellationToken);

    /// <summary>Takes the lock, polling with a growing back-off until it is free, recording who holds it.</summary>
    /// <param name="path">The lock file; created (with its folder) when missing.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <param name="timeout">Longest wait; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="holder">Who holds it beyond the process (e.g. a runner id), recorded for diagnostics when exclusive; may be null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="TimeoutException">The lock stayed taken for <paramref name="timeout"/>; the message names the last holder.</exception>
    public static async Task<FileLock> AcquireAsync(string path, FileLockMode mode, TimeSpan timeout, TimeProvider timeProvider, string? holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var start = timeProvider.GetTimestamp();
        var backoff = TimeSpan.FromMilliseconds(1);

        // Most holds (an event append, a record update) last microseconds: for the first 2 ms (real time) look
        // again right away, yielding the processor, instead of sleeping a timer tick that is far longer than the
        // hold. Longer holds (a branch being pushed) fall through to the growing back-off.
        var spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path, mode, timeProvider, holder) is { } held)
            {
                return held;
            }

            var elapsed = timeProvider.GetElapsedTime(start);
            if (timeout != Timeout.InfiniteTimeSpan && elapsed >= timeout)
            {
                var owner = ReadOwner(path);
                throw new TimeoutException(
                    $"The lock '{path}' stayed taken for {timeout.TotalSeconds:0.###} s" +
                    (owner is null ? "." : $"; last exclusive holder: {owner.Describe()}, since {owner.AcquiredAt:O}."));
            }

            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                _ = Thread.Yield();
                continue;
            }

            var delay = backoff + TimeSpan.FromTicks(Random.Shared.NextInt64(backoff.Ticks + 1));
            if (timeout != Timeout.InfiniteTimeSpan && delay > timeout - elapsed)
            {
                delay = timeout - elapsed;
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    /// <summary>Takes the lock if it is free now.</summary>
    /// <param name="path">The lock file; created (with its folder) when missing.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <param name="timeProvider">The clock (for the recorded acquisition time).</param>
    /// <returns>The held lock, or null when another holder has it.</returns>
    public static FileLock? TryAcquire(string path, FileLockMode mode, TimeProvider timeProvider) =>
        TryAcquire(path, mode, timeProvider, holder: null);

    /// <summary>Takes the lock if it is free now, recording who holds it.</summary>
    /// <param name="path">The lock file; created (with its folder) when missing.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <param name="timeProvider">The clock (for the recorded acquisition time).</param>
    /// <param name="holder">Who holds it beyond the process (e.g. a runner id), recorded when exclusive; may be null.</param>
    /// <returns>The held lock, or null when another holder has it.</returns>
    public static FileLock? TryAcquire(string path, FileLockMode mode, TimeProvider timeProvider, string? holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!Libc.IsSupported)
        {
            throw new PlatformNotSupportedException("The file-system lock needs flock(2) (Linux or macOS).");
        }

        path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var handle = UnixFile.Open(path, Libc.ReadWrite | Libc.Create);
        try
        {
            var operation = (mode == FileLockMode.Exclusive ? Libc.LockExclusive : Libc.LockShared) | Libc.LockNonBlocking;
            while (Libc.flock(handle, operation) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.WouldBlock)
                {
                    handle.Dispose();
                    return null;
                }

                if (errno != Libc.Interrupted)
                {
                    throw Libc.Error(errno, $"flock '{path}'");
                }
            }

            if (mode == FileLockMode.Exclusive)
            {
                var owner = new LockOwnerDocument(ProcessIdentity.Current, timeProvider.GetUtcNow(), holder);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(owner, FileSystemJsonContext.Default.LockOwnerDocument);
                handle.Overwrite([.. bytes, (byte)'\n'], path);
            }

            return new FileLock(path, mode, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads the last exclusive holder recorded in a lock file (diagnostics only).</summary>
    /// <param name="path">The lock file.</param>
    /// <returns>The recorded holder, or null when none is recorded or it does not parse.</returns>
    public static LockOwnerDocument? ReadOwner(string path)
    {
        try
        {
            // Not a FileStream: .NET would take a shared flock of its own, which fails while the lock is held.
            using var handle = UnixFile.Open(path, Libc.ReadOnly);
            var buffer = new byte[4096];
            var read = handle.ReadAt(buffer, 0, path);
            var end = Array.IndexOf(buffer, (byte)'\n', 0, read);
            return end <= 0 ? null : JsonSerializer.Deserialize(buffer.AsSpan(0, end), FileSystemJsonContext.Default.LockOwnerDocument);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Releases the lock (closing the descriptor releases it too, also when the process dies).</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        _ = Libc.flock(_handle, Libc.LockUnlock);
        _handle.Dispose();
    }
}
