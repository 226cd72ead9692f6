using System.Collections.Concurrent;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// The process trees this process has running right now, by the tracking variable each child of
/// <see cref="ProcessRunner"/> carries. A host that must stop at once (a second Ctrl+C) kills them all with
/// <see cref="KillAll"/> before it exits, so that no process outlives it even when its runs are not allowed to
/// finish their clean-up.
/// </summary>
internal static class LiveProcesses
{
    private static readonly ConcurrentDictionary<string, (int RootId, byte[] Marker)> Trees = new(StringComparer.Ordinal);

    /// <summary>Records a started tree until the returned handle is disposed.</summary>
    /// <param name="traceName">The tree's tracking variable name.</param>
    /// <param name="rootId">The tree's root process (and group) id.</param>
    /// <returns>The handle that forgets the tree.</returns>
    public static IDisposable Track(string traceName, int rootId)
    {
        Trees[traceName] = (rootId, ProcFs.EntryBytes(traceName, "1"));
        return new Handle(traceName);
    }

    /// <summary>How many trees are running.</summary>
    public static int Count => Trees.Count;

    /// <summary>
    /// Sends SIGKILL to every running tree: each root's process group, then every process on this host that carries
    /// one of the trees' tracking variables (double-forked daemons, processes that left the group). Never this process.
    /// </summary>
    /// <returns>How many processes were signalled.</returns>
    public static int KillAll()
    {
        var trees = Trees.Values.ToList();
        if (trees.Count == 0)
        {
            return 0;
        }

        var killed = 0;
        foreach (var (rootId, _) in trees)
        {
            if (rootId > 1 && rootId != Environment.ProcessId && Signals.SignalGroup(rootId, Signals.Kill))
            {
                killed++;
            }
        }

        if (!ProcFs.IsAvailable)
        {
            return killed;
        }

        foreach (var pid in ProcFs.ListProcessIds())
        {
            if (pid == Environment.ProcessId)
            {
                continue;
            }

            foreach (var (_, marker) in trees)
            {
                if (ProcFs.EnvironmentContains(pid, marker))
                {
                    Signals.SignalProcess(pid, Signals.Kill);
                    killed++;
                    break;
                }
            }
        }

        return killed;
    }

    private sealed class Handle(string traceName) : IDisposable
    {
        public void Dispose() => Trees.TryRemove(traceName, out _);
    }
}
