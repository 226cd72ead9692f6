using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// The processes one <see cref="ProcessRunner"/> call started: the root, everything in its session or
/// process group, and every process whose environment carries the call's tracking variable (which finds
/// double-forked daemons and processes that started a session of their own). Measured by sampling <c>/proc</c>.
/// </summary>
/// <remarks>
/// CPU time counts each member's own time and the time of the children it waited for (<c>cutime</c>,
/// <c>cstime</c>), so children that start and end between two samples, and grandchildren reaped by them, are
/// counted. A member that is reaped by another member is then no longer counted on its own (its time is in its
/// reaper's children time); one whose reaper is outside the tree (the root, reaped by the runner; a daemon
/// reparented to init) keeps its last sample. What a member used after its last sample and before being reaped by
/// an outsider is missed, and a process that is reaped exactly while a sweep reads its parent may be counted twice
/// or not at all for that one sample.
/// </remarks>
internal sealed class ProcessTree
{
    private static readonly long ClockTicks = ProcFs.ClockTicksPerSecond;

    private readonly int _rootId;
    private readonly long _rootStart;
    private readonly bool _rootLeadsGroup;
    private readonly byte[] _marker;
    private readonly Dictionary<(int Pid, long Start), bool> _classified = [];
    private readonly Dictionary<(int Pid, long Start), ProcStat> _lastSample = [];
    private long _departedTicks;
    private readonly Lock _gate = new();
    private readonly long _forksAtStart;
    private int _highestLast;
    private bool _rangeOff;

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
        _forksAtStart = ProcKernel.ReadForkCount() ?? -1;
    }

    /// <summary>The root's process id, which is also the id of its process group when it leads one.</summary>
    public int RootId => _rootId;

    /// <summary>Whether the root leads its own process group (signals go to the group).</summary>
    public bool RootLeadsGroup => _rootLeadsGroup;

    /// <summary>Highest resident memory of the tree seen so far, in bytes.</summary>
    public long PeakResidentBytes { get; private set; }

    /// <summary>CPU time used by the tree's processes so far, their reaped children included (see the remarks).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            lock (_gate)
            {
                var total = _departedTicks;
                foreach (var stat in _lastSample.Values)
                {
                    total += stat.CpuTicks + stat.ChildCpuTicks;
                }

                return TimeSpan.FromSeconds((double)total / ClockTicks);
            }
        }
    }

    /// <summary>Samples the tree: updates peak memory and CPU time, and returns its live members.</summary>
    /// <param name="residentBytes">The tree's resident memory now.</param>
    /// <param name="thorough">Look at every process of the machine (see <see cref="CandidateIds"/>).</param>
    /// <returns>The live (not zombie) members.</returns>
    public List<ProcStat> Sample(out long residentBytes, bool thorough = false)
    {
        var members = new List<ProcStat>();
        long resident = 0;
        var seen = new HashSet<(int, long)>();
        var present = new HashSet<(int Pid, long Start)>();
        lock (_gate)
        {
            foreach (var pid in CandidateIds(thorough))
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

                present.Add(key);
                _lastSample[key] = stat;
                if (!stat.IsGone)
                {
                    members.Add(stat);
                    resident += stat.ResidentPages * Environment.SystemPageSize;
                }
            }

            SettleDeparted(present);

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

    /// <summary>
    /// Members sampled before but gone now: a member reaped by a member still present is in that one's children
    /// time (through a chain of members that left together); any other keeps its last sample.
    /// </summary>
    private void SettleDeparted(HashSet<(int Pid, long Start)> present)
    {
        var departed = _lastSample.Keys.Where(k => !present.Contains(k)).ToList();
        if (departed.Count == 0)
        {
            return;
        }

        var presentByPid = present.Select(k => k.Pid).ToHashSet();
        var departedByPid = new Dictionary<int, ProcStat>();
        foreach (var key in departed)
        {
            departedByPid[key.Pid] = _lastSample[key];
        }

        foreach (var key in departed)
        {
            var stat = _lastSample[key];
            if (!ReapedInsideTree(stat, presentByPid, departedByPid))
            {
                _departedTicks += stat.CpuTicks + stat.ChildCpuTicks;
            }
        }

        foreach (var key in departed)
        {
            _lastSample.Remove(key);
        }
    }

    private static bool ReapedInsideTree(ProcStat stat, HashSet<int> presentByPid, Dictionary<int, ProcStat> departedByPid)
    {
        // Follow parents that left in the same interval until one is still here (inside) or none is a member.
        for (var hops = 0; hops < 64; hops++)
        {
            if (presentByPid.Contains(stat.ParentId))
            {
                return true;
            }

            if (!departedByPid.TryGetValue(stat.ParentId, out var parent) || parent.ProcessId == stat.ProcessId)
            {
                return false;
            }

            stat = parent;
        }

        return false;
    }

    /// <summary>
    /// The pids that can belong to the tree. Process ids are handed out in increasing order until they wrap at
    /// <see cref="ProcKernel.ProcessIdLimit"/>, and every member was created after the root: while the ids have not
    /// wrapped since (the last id handed out is still at or above the root's and never went down, and fewer processes
    /// were created than half the id space), the members lie between the root's id and the last one, and no older
    /// process is looked at. A <paramref name="thorough"/> sweep (while stopping a tree), a wrap, or a
    /// <c>/proc/loadavg</c> that is not the kernel's (lxcfs) looks at every process.
    /// </summary>
    private IEnumerable<int> CandidateIds(bool thorough)
    {
        if (!thorough && !_rangeOff && _forksAtStart >= 0 && ProcKernel.LoadAverageIsTheKernels
            && ProcKernel.ReadLastProcessId() is { } last)
        {
            if (last >= _highestLast && IdsHaveNotWrapped(_rootId, last, _forksAtStart, ProcKernel.ReadForkCount(), ProcKernel.ProcessIdLimit))
            {
                return IdsFromRootOn(last);
            }

            // Once the ids may have wrapped, the range tells nothing any more.
            _rangeOff = true;
        }

        return ProcFs.ListProcessIds();
    }

    /// <summary>
    /// The ids from the root's to <paramref name="last"/>, then those handed out while they were looked at (a member
    /// that forks and exits meanwhile leaves a child above <paramref name="last"/>), until no new id was handed out.
    /// </summary>
    private IEnumerable<int> IdsFromRootOn(int last)
    {
        var from = _rootId;
        while (true)
        {
            _highestLast = last;
            if (last - from < 128)
            {
                // A short range is probed directly (a missing pid costs one failed open).
                for (var pid = from; pid <= last; pid++)
                {
                    yield return pid;
                }
            }
            else
            {
                foreach (var pid in ProcFs.ListProcessIds())
                {
                    if (pid >= from && pid <= last)
                    {
                        yield return pid;
                    }
                }
            }

            if (ProcKernel.ReadLastProcessId() is not { } now || now <= last)
            {
                yield break;
            }

            (from, last) = (last + 1, now);
        }
    }

    /// <summary>Whether every process created after the root has an id between the root's and <paramref name="lastId"/>.</summary>
    /// <param name="rootId">The root's id.</param>
    /// <param name="lastId">The id handed out last.</param>
    /// <param name="forksAtStart">Processes created since boot when the root had started.</param>
    /// <param name="forksNow">Processes created since boot now; null when unknown.</param>
    /// <param name="idLimit">The largest id plus one.</param>
    internal static bool IdsHaveNotWrapped(int rootId, int lastId, long forksAtStart, long? forksNow, int idLimit) =>
        lastId >= rootId && forksNow is { } forks && forks >= forksAtStart && forks - forksAtStart < idLimit / 2;

    /// <summary>The live members of the tree.</summary>
    /// <param name="thorough">Look at every process of the machine, not only the ids handed out since the root (while stopping the tree).</param>
    public List<ProcStat> LiveMembers(bool thorough = false) => Sample(out _, thorough);

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
