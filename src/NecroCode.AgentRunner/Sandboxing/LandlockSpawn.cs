using System.Runtime.ExceptionServices;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// Starts a child under a Landlock ruleset without a helper program: a dedicated, short-lived thread sets no_new_privs,
/// restricts itself with the ruleset and spawns the child with <c>posix_spawn</c> (a clone of that thread, which inherits
/// the restriction), then ends. The restricted thread never runs anything else and never returns to a pool; the child is
/// handed to the reaper from the calling thread.
/// </summary>
internal static class LandlockSpawn
{
    /// <summary>Starts <paramref name="program"/> confined by <paramref name="ruleset"/>.</summary>
    /// <exception cref="ProcessStartException">The program could not be executed, or this C library cannot spawn natively.</exception>
    public static SpawnedChildProcess Start(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, LandlockRuleset ruleset)
    {
        if (!PosixSpawn.IsAvailable)
        {
            throw new ProcessStartException(program, "the Landlock sandbox needs the C library's posix_spawn, which is not usable here.");
        }

        var started = false;
        int pid = -1, input = -1, output = -1, error = -1;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    started = PosixSpawn.TryStart(program, arguments, workingDirectory, environment, out pid, out input, out output, out error, () => LandlockNative.RestrictCallingThread(ruleset.Descriptor));
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "NecroCode sandboxed spawn",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        if (!started)
        {
            throw new ProcessStartException(program, "the Landlock sandbox needs the C library's posix_spawn with POSIX_SPAWN_SETSID, which is not usable here.");
        }

        return SpawnedChildProcess.Wrap(pid, input, output, error);
    }
}
