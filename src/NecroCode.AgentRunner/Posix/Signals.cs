namespace NecroCode.AgentRunner.Posix;

/// <summary>Sends signals with <c>kill(2)</c>, never to pid 1, a whole group of ids or (by accident) id 0.</summary>
internal static class Signals
{
    internal const int Interrupt = 2;
    internal const int Kill = 9;
    internal const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="processGroupId"/>.</summary>
    /// <param name="processGroupId">The group's leader.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>Whether the group existed.</returns>
    internal static bool SignalGroup(int processGroupId, int signal) =>
        processGroupId > 1 && Libc.kill(-processGroupId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process.</summary>
    /// <param name="processId">The process.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>Whether the process existed.</returns>
    internal static bool SignalProcess(int processId, int signal) =>
        processId > 1 && Libc.kill(processId, signal) == 0;
}
