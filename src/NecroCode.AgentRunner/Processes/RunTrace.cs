using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// The run-level tracking id: while a run executes, every process it starts through <see cref="ProcessRunner"/>
/// carries <c>NECROCODE_RUN_TRACE_&lt;id&gt;=1</c>, and their descendants inherit it. The id is recorded in the
/// run's journal and in its slot lease, so that a later process (a resumed run, or the run that takes the slot
/// over) can find and stop what a runner killed with SIGKILL left behind: the agent and test processes run in
/// sessions of their own and do not die with the runner.
/// </summary>
internal static class RunTrace
{
    private static readonly AsyncLocal<string?> CurrentId = new();

    /// <summary>How long swept processes get between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    /// <summary>The tracking id of the run executing on this asynchronous flow, if any.</summary>
    public static string? Current => CurrentId.Value;

    /// <summary>Creates a new tracking id (32 hex digits: valid in an environment variable name).</summary>
    /// <returns>The id.</returns>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>The name of the environment variable that marks the processes of the run <paramref name="id"/>.</summary>
    /// <param name="id">The tracking id.</param>
    /// <returns>The variable's name.</returns>
    public static string VariableName(string id) => ProcessRunner.TrackingVariablePrefix + id;

    /// <summary>Makes <paramref name="id"/> the tracking id of every process started from this flow on.</summary>
    /// <param name="id">The tracking id.</param>
    public static void Enter(string id) => CurrentId.Value = id;

    /// <summary>
    /// Stops every process on this host that carries the tracking id <paramref name="id"/>: SIGTERM, up to
    /// <paramref name="grace"/> to end, then SIGKILL. The calling process is never touched.
    /// </summary>
    /// <param name="id">The tracking id.</param>
    /// <param name="grace">How long to wait between SIGTERM and SIGKILL.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait (the processes are then killed at once).</param>
    /// <returns>The ids of the processes found.</returns>
    public static async Task<IReadOnlyList<int>> StopAsync(string id, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(time);
        var marker = ProcFs.EntryBytes(VariableName(id), "1");
        var found = Find(marker);
        if (found.Count == 0)
        {
            return [];
        }

        foreach (var process in found)
        {
            Signals.SignalProcess(process.ProcessId, Signals.Terminate);
        }

        var start = time.GetTimestamp();
        while (Find(marker).Count > 0 && time.GetElapsedTime(start) < grace && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var process in Find(marker))
        {
            Signals.SignalProcess(process.ProcessId, Signals.Kill);
        }

        return [.. found.Select(p => p.ProcessId)];
    }

    /// <summary>The live processes carrying <paramref name="marker"/> (never this one).</summary>
    private static List<ProcStat> Find(byte[] marker)
    {
        var found = new List<ProcStat>();
        foreach (var pid in ProcFs.ListProcessIds())
        {
            if (pid == Environment.ProcessId || ProcFs.ReadStat(pid) is not { IsGone: false } stat)
            {
                continue;
            }

            if (ProcFs.EnvironmentContains(pid, marker))
            {
                found.Add(stat);
            }
        }

        return found;
    }
}
