namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// The processes one <see cref="ProcessRunner"/> call started: the root, everything in its session or
/// process group, and every process whose environment carries the call's tracking variable (which finds
/// double-forked daemons and processes that started a session of their own). Measured by sampling <c>/proc</c>.
/// </summary>
internal sealed class ProcessTree
{
    private static readonly long ClockTicks = NativeMethods.ClockTicksPerSecond();

    private readonly int _rootId;
    private readonly long _rootStart;
    private readonly bool _rootLeadsGroup;
    private readonly byte[] _marker;
    private readonly Dictionary<(int Pid, long Start), bool> _classified = [];
    private readonly Dictionary<(int Pid, long Start), long> _cpuTicks = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the tree of a started root process.</summary>
    /// <param name="rootId">The root's process id.</param>
    /// <param name="rootLeadsGroup">Whether the root leads its own session and process group.</param>
    /// <param name="marker">The tracking entry (<c>NAME=value</c>) of the call.</param>
    public ProcessTree(int rootId, bool rootLeadsGroup, byte[] marker)
    {
        _rootId = rootId;
        _rootLeadsGroup = rootLeadsGroup;
        _marker = marker;

        // The start time tells the root apart from a later process that reuses its pid (exec keeps it).
        _rootStart = ProcFs.ReadStat(rootId)?.StartTicks ?? -1;
    }

    /// <summary>The root's process id, which is also the id of its process group when it leads one.</summary>
    public int RootId => _rootId;

    /// <summary>Whether the root leads its own process group (signals go to the group).</summary>
    public bool RootLeadsGroup => _rootLeadsGroup;

    /// <summary>Highest resident memory of the tree seen so far, in bytes.</summary>
    public long PeakResidentBytes { get; private set; }

    /// <summary>CPU time used by the tree's processes so far (their last sampled values).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            lock (_gate)
            {
                long total = 0;
                foreach (var ticks in _cpuTicks.Values)
                {
                    total += ticks;
                }

                return TimeSpan.FromSeconds((double)total / ClockTicks);
            }
        }
    }

    /// <summary>Samples the tree: updates peak memory and CPU time, and returns its live members.</summary>
    /// <param name="residentBytes">The tree's resident memory now.</param>
    /// <returns>The live (not zombie) members.</returns>
    public List<ProcStat> Sample(out long residentBytes)
    {
        var members = new List<ProcStat>();
        long resident = 0;
        var seen = new HashSet<(int, long)>();
        lock (_gate)
        {
            foreach (var pid in ProcFs.ListProcessIds())
            {
                if (ProcFs.ReadStat(pid) is not { } stat)
                {
                    continue;
                }

                var key = (pid, stat.StartTicks);
                seen.Add(key);
                if (!IsMember(stat, key))
                {
                    continue;
                }

                _cpuTicks[key] = stat.CpuTicks;
                if (!stat.IsGone)
                {
                    members.Add(stat);
                    resident += stat.ResidentPages * Environment.SystemPageSize;
                }
            }

            // Forget the classification of processes that are gone, so the table stays small.
            if (_classified.Count > seen.Count * 2)
            {
                foreach (var key in _classified.Keys.Where(k => !seen.Contains(k)).ToList())
                {
                    _classified.Remove(key);
                }
            }

            PeakResidentBytes = Math.Max(PeakResidentBytes, resident);
        }

        residentBytes = resident;
        return members;
    }

    /// <summary>The live members of the tree.</summary>
    public List<ProcStat> LiveMembers() => Sample(out _);

    private bool IsMember(ProcStat stat, (int Pid, long Start) key)
    {
        if (stat.ProcessId == _rootId)
        {
            return stat.StartTicks == _rootStart;
        }

        // Only descendants of the root are members, and they started no earlier than the root: everything older
        // is skipped without reading its environment (which keeps a sweep cheap on a busy host).
        if (_rootStart >= 0 && stat.StartTicks < _rootStart)
        {
            return false;
        }

        if (_rootLeadsGroup && (stat.SessionId == _rootId || stat.ProcessGroupId == _rootId))
        {
            return true;
        }

        if (_classified.TryGetValue(key, out var member))
        {
            return member;
        }

        // A zombie's environment can no longer be read; decide when it is alive only.
        if (stat.IsGone)
        {
            return false;
        }

        member = ProcFs.EnvironmentContains(stat.ProcessId, _marker);
        _classified[key] = member;
        return member;
    }
}
