using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Tests.Processes;

/// <summary>What runs on this machine, read from <c>/proc</c>: for asserting that no process outlived a stop.</summary>
internal static class ProcessProbe
{
    /// <summary>Live (non-zombie) processes whose environment holds <paramref name="name"/>=<paramref name="value"/>.</summary>
    public static List<int> LiveProcessesWithVariable(string name, string value)
    {
        var entry = ProcFs.EntryBytes(name, value);
        return [.. ProcFs.ListProcessIds().Where(pid => IsAlive(pid) && ProcFs.EnvironmentContains(pid, entry))];
    }

    /// <summary>Whether <paramref name="pid"/> runs (and is not a zombie).</summary>
    public static bool IsAlive(int pid) => ProcFs.ReadStat(pid) is { IsGone: false };
}
