namespace NecroCode.AgentRunner.Posix;

/// <summary>One line of <c>/proc/&lt;pid&gt;/stat</c>, the fields process execution uses.</summary>
/// <param name="ProcessId">The process.</param>
/// <param name="State">Its state letter (<c>Z</c> zombie, <c>X</c> dead).</param>
/// <param name="ProcessGroupId">Its process group.</param>
/// <param name="SessionId">Its session.</param>
/// <param name="CpuTicks">User plus system CPU time, in clock ticks.</param>
/// <param name="StartTicks">When it started, in clock ticks after boot (tells a reused pid apart).</param>
/// <param name="ResidentPages">Resident set size in pages.</param>
/// <param name="ParentId">Its parent process.</param>
/// <param name="ChildCpuTicks">
/// User plus system CPU time of its children that it waited for (and, through them, of their waited-for
/// descendants), in clock ticks: where the time of a short-lived child goes once the child is reaped.
/// </param>
internal readonly record struct ProcStat(int ProcessId, char State, int ProcessGroupId, int SessionId, long CpuTicks, long StartTicks, long ResidentPages, int ParentId = 0, long ChildCpuTicks = 0)
{
    /// <summary>Whether the process has ended (a zombie or dead entry).</summary>
    public bool IsGone => State is 'Z' or 'X' or 'x';
}
