using System.Runtime.InteropServices;
using System.Text;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Starts a child with glibc's <c>posix_spawn</c> as the leader of a new session (<c>POSIX_SPAWN_SETSID</c>, glibc
/// 2.26) in its working directory (<c>posix_spawn_file_actions_addchdir_np</c>, glibc 2.29), with every signal at
/// its default disposition and none blocked, and its three standard streams on pipes. One clone and one exec:
/// no wrapper program is executed first.
/// </summary>
internal static class PosixSpawn
{
    private const short SetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    private const short SetSession = 0x80; // POSIX_SPAWN_SETSID (glibc)
    private const int ChildSignal = 17; // SIGCHLD
    private const int NotImplemented = 38; // ENOSYS

    // posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80 and sigset_t 128 on 64-bit glibc; the
    // buffers are larger so that no layout of the C library can overrun them.
    private const int OpaqueBytes = 1024;

    private static volatile bool s_unavailable;

    /// <summary>
    /// Whether native spawning may be tried here: Linux, no earlier attempt found it missing, and the runtime does not
    /// reap every child of the process. It does that as pid 1 (a container without an init process) and when SIGCHLD
    /// is ignored (then the kernel reaps them): a native child's exit status would be lost, so children are started
    /// through <see cref="System.Diagnostics.Process"/>, whose status the runtime keeps.
    /// </summary>
    public static bool IsAvailable => OperatingSystem.IsLinux() && !s_unavailable && !EveryChildIsReapedByOthers();

    /// <summary>Whether this process is pid 1 or ignores SIGCHLD.</summary>
    internal static bool EveryChildIsReapedByOthers()
    {
        if (Environment.ProcessId == 1)
        {
            return true;
        }

        // struct sigaction starts with the handler on Linux; SIG_IGN is 1.
        var action = Marshal.AllocHGlobal(OpaqueBytes);
        try
        {
            return Libc.sigaction(ChildSignal, 0, action) == 0 && Marshal.ReadIntPtr(action) == 1;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return true;
        }
        finally
        {
            Marshal.FreeHGlobal(action);
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> (an absolute path) with <paramref name="arguments"/>. Returns false, having
    /// started nothing, when the C library lacks what this needs (the caller falls back to another way to start it).
    /// </summary>
    /// <remarks>
    /// <paramref name="confine"/>, when given, runs on the calling thread right before the clone, after everything else is
    /// prepared (a sandbox restricts the thread there, and the child inherits the restriction).
    /// </remarks>
    /// <exception cref="ProcessStartException">The program could not be executed (missing, not executable, bad format …).</exception>
    public static bool TryStart(
        string program,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        out int processId,
        out int standardInput,
        out int standardOutput,
        out int standardError,
        Action? confine = null)
    {
        processId = standardInput = standardOutput = standardError = -1;
        nint[] argv = [], envp = [];
        var actions = Marshal.AllocHGlobal(OpaqueBytes);
        var attributes = Marshal.AllocHGlobal(OpaqueBytes);
        var signals = Marshal.AllocHGlobal(OpaqueBytes);
        int[] input = [-1, -1], output = [-1, -1], error = [-1, -1];
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            argv = Strings([program, .. arguments]);
            envp = Strings(environment.Select(e => e.Key + "=" + e.Value));
            if (Libc.posix_spawn_file_actions_init(actions) != 0 || Libc.posix_spawnattr_init(attributes) != 0)
            {
                return Unavailable();
            }

            actionsReady = attributesReady = true;
            OpenPipe(program, input);
            OpenPipe(program, output);
            OpenPipe(program, error);

            // The child's ends become 0, 1 and 2 (dup2 clears close-on-exec on them); every original pipe descriptor
            // is close-on-exec, so neither this child nor any other started meanwhile keeps a stray end open.
            if (Libc.posix_spawn_file_actions_adddup2(actions, input[0], 0) != 0
                || Libc.posix_spawn_file_actions_adddup2(actions, output[1], 1) != 0
                || Libc.posix_spawn_file_actions_adddup2(actions, error[1], 2) != 0
                || Libc.posix_spawn_file_actions_addchdir_np(actions, Utf8(workingDirectory)) != 0)
            {
                return Unavailable();
            }

            // Every signal at its default (a runner started with SIGINT ignored must still be able to interrupt its
            // children), none blocked (the runtime's threads block some), and a session of the child's own.
            if (Libc.sigfillset(signals) != 0
                || Libc.posix_spawnattr_setsigdefault(attributes, signals) != 0
                || Libc.sigemptyset(signals) != 0
                || Libc.posix_spawnattr_setsigmask(attributes, signals) != 0
                || Libc.posix_spawnattr_setflags(attributes, (short)(SetSession | SetSignalDefaults | SetSignalMask)) != 0)
            {
                return Unavailable();
            }

            var path = Utf8(program);
            confine?.Invoke();
            var result = Libc.posix_spawn(out var pid, path, actions, attributes, argv, envp);
            if (result is Libc.InvalidArgument or NotImplemented)
            {
                // An older C library refuses POSIX_SPAWN_SETSID.
                return Unavailable();
            }

            if (result != 0)
            {
                throw new ProcessStartException(program, Marshal.GetPInvokeErrorMessage(result) + ".");
            }

            processId = pid;
            standardInput = Take(ref input[1]);
            standardOutput = Take(ref output[0]);
            standardError = Take(ref error[0]);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return Unavailable();
        }
        catch (ArgumentException ex)
        {
            throw new ProcessStartException(program, ex.Message, ex);
        }
        finally
        {
            CloseAll(input);
            CloseAll(output);
            CloseAll(error);
            if (actionsReady)
            {
                _ = Libc.posix_spawn_file_actions_destroy(actions);
            }

            if (attributesReady)
            {
                _ = Libc.posix_spawnattr_destroy(attributes);
            }

            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(signals);
            Free(argv);
            Free(envp);
        }
    }

    /// <summary>
    /// Waits (blocking) until the child exits and reaps it with <c>wait4</c>: its exit code (or 128 + the signal that
    /// ended it) and its CPU time — which covers a child too short-lived for any sample of <c>/proc</c>.
    /// </summary>
    /// <returns>How it ended; every field null when the child was reaped by someone else (a host that ignores SIGCHLD).</returns>
    public static ChildExit WaitForExit(int processId)
    {
        // struct rusage on 64-bit Linux: ru_utime and ru_stime (timeval: two longs each), then ru_maxrss in KiB.
        // ru_maxrss is not used: a child started with posix_spawn shares this process's memory until it executes its
        // program, and the kernel counts that (this runtime's) resident set as the child's peak.
        var usage = new long[18];
        while (true)
        {
            if (Libc.wait4(processId, out var status, 0, usage) == processId)
            {
                var signal = status & 0x7f;
                var cpu = TimeSpan.FromSeconds(usage[0] + usage[2]) + TimeSpan.FromMicroseconds(usage[1] + usage[3]);
                return new ChildExit(signal == 0 ? (status >> 8) & 0xff : 128 + signal, null, cpu);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.Interrupted)
            {
                continue;
            }

            if (errno == Libc.NoChild)
            {
                return new ChildExit(null, null, null);
            }

            throw new InvalidOperationException($"wait4({processId}) failed: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
    }

    /// <summary>Closes a descriptor this class handed out and the caller did not wrap.</summary>
    public static void Close(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = Libc.close(descriptor);
        }
    }

    private static bool Unavailable()
    {
        s_unavailable = true;
        return false;
    }

    private static void OpenPipe(string program, int[] ends)
    {
        if (Libc.pipe2(ends, Libc.CloseOnExec) != 0)
        {
            throw new ProcessStartException(program, "no pipe for its standard streams: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()) + ".");
        }
    }

    private static int Take(ref int descriptor)
    {
        var taken = descriptor;
        descriptor = -1;
        return taken;
    }

    private static void CloseAll(int[] ends)
    {
        foreach (var end in ends)
        {
            Close(end);
        }
    }

    private static byte[] Utf8(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{value.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which no program argument, path or variable can hold.");
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static nint[] Strings(IEnumerable<string> values)
    {
        var pointers = new List<nint>();
        try
        {
            foreach (var value in values)
            {
                var bytes = Utf8(value);
                var pointer = Marshal.AllocHGlobal(bytes.Length);
                Marshal.Copy(bytes, 0, pointer, bytes.Length);
                pointers.Add(pointer);
            }
        }
        catch
        {
            Free([.. pointers]);
            throw;
        }

        pointers.Add(0);
        return [.. pointers];
    }

    private static void Free(nint[] pointers)
    {
        foreach (var pointer in pointers)
        {
            if (pointer != 0)
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
    }
}
