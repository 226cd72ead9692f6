using System.Globalization;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Processes;

internal sealed partial class ProcessRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private async Task<(ProcessStopReason Reason, string? Message)> WatchAsync(ChildProcess process, ProcessTree tree, ProcessSpec spec, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, _time);
        if (spec.Timeout is { } limit)
        {
            timeout.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.Zero);
        }

        using var limitHit = new CancellationTokenSource();
        using var wrapUpExpired = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, _time);
        using var wrapUp = spec.WrapUp.Register(() => AskToWrapUp(tree, spec, wrapUpExpired));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, limitHit.Token, wrapUpExpired.Token);
        using var monitorStop = new CancellationTokenSource();
        var breach = new LimitBreach();
        var monitor = MonitorAsync(tree, spec, breach, limitHit, monitorStop.Token);

        var reason = ProcessStopReason.Exited;
        string? message = null;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                (reason, message) = (ProcessStopReason.Cancelled, "cancelled");
            }
            else if (limitHit.IsCancellationRequested)
            {
                (reason, message) = (breach.Reason, breach.Message);
            }
            else if (wrapUpExpired.IsCancellationRequested)
            {
                (reason, message) = (ProcessStopReason.WrapUpExpired, $"asked to wrap up, it did not exit within {FormatDuration(spec.WrapUpGracePeriod)}; the process tree was stopped.");
            }
            else
            {
                (reason, message) = (ProcessStopReason.TimedOut, $"timed out after {FormatDuration(spec.Timeout ?? TimeSpan.Zero)}; the process tree was stopped.");
            }

            Log.Stopping(_logger, spec.StepName, process.Id, message!);
        }

        await monitorStop.CancelAsync().ConfigureAwait(false);
        await monitor.ConfigureAwait(false);

        if (reason == ProcessStopReason.Exited)
        {
            await StopLeftoversAsync(process, tree, spec.StepName).ConfigureAwait(false);
        }
        else
        {
            await StopTreeAsync(process, tree, spec.StepName).ConfigureAwait(false);
            if (reason != ProcessStopReason.Cancelled && spec.Events is { } events)
            {
                events.Publish(new RunWarning(spec.StepName, message!));
            }
        }

        return (reason, message);
    }

    /// <summary>Sends the wrap-up signal to the tree and starts its grace period.</summary>
    private void AskToWrapUp(ProcessTree tree, ProcessSpec spec, CancellationTokenSource graceExpired)
    {
        try
        {
            Log.WrappingUp(_logger, spec.StepName, tree.RootId, spec.WrapUpSignal);
            Signal(tree, tree.LiveMembers(thorough: true), spec.WrapUpSignal);
            graceExpired.CancelAfter(spec.WrapUpGracePeriod > TimeSpan.Zero ? spec.WrapUpGracePeriod : TimeSpan.Zero);
        }
        catch (ObjectDisposedException)
        {
            // The process ended while it was asked.
        }
    }

    private async Task MonitorAsync(ProcessTree tree, ProcessSpec spec, LimitBreach breach, CancellationTokenSource limitHit, CancellationToken cancellationToken)
    {
        if (!ProcFs.IsAvailable)
        {
            return;
        }

        var (step, events) = (spec.StepName, spec.Events);
        var memoryLimit = spec.MemoryLimitBytes ?? _options.MemoryLimitBytes;
        var cpuLimit = spec.CpuTimeLimit ?? _options.CpuTimeLimit;
        var threshold = _options.LimitWarningThreshold;
        bool warnedMemory = false, warnedCpu = false;
        // The first sample is taken after one interval, not at once: a process shorter than that costs no
        // sweep of /proc while it runs (its tree is still swept once for leftovers when it ends).
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                tree.Sample(out var resident);
                if (memoryLimit is { } memory)
                {
                    if (resident > memory)
                    {
                        breach.Set(ProcessStopReason.MemoryLimitExceeded, $"memory limit of {Mebibytes(memory)} exceeded: the process tree used {Mebibytes(resident)}; it was stopped.");
                        await limitHit.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    if (!warnedMemory && resident >= memory * threshold)
                    {
                        warnedMemory = true;
                        Warn(step, events, $"the process tree uses {Mebibytes(resident)} of its {Mebibytes(memory)} memory limit.");
                    }
                }

                if (cpuLimit is { } cpu)
                {
                    var used = tree.CpuTime;
                    if (used > cpu)
                    {
                        breach.Set(ProcessStopReason.CpuTimeLimitExceeded, $"CPU time limit of {FormatDuration(cpu)} exceeded: the process tree used {FormatDuration(used)}; it was stopped.");
                        await limitHit.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    if (!warnedCpu && used >= cpu * threshold)
                    {
                        warnedCpu = true;
                        Warn(step, events, $"the process tree used {FormatDuration(used)} of its {FormatDuration(cpu)} CPU time limit.");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The process ended; sampling stops.
        }
    }

    private void Warn(string step, IRunEventSink? events, string message)
    {
        Log.LimitWarning(_logger, step, message);
        events?.Publish(new RunWarning(step, message));
    }

    /// <summary>The ladder: SIGINT, grace, SIGTERM, grace, SIGKILL until no process of the tree is left.</summary>
    private async Task StopTreeAsync(ChildProcess process, ProcessTree tree, string step)
    {
        if (await SignalAndWaitAsync(process, tree, Signals.Interrupt, _options.InterruptGracePeriod).ConfigureAwait(false))
        {
            return;
        }

        Log.GraceExpired(_logger, step, tree.RootId, "SIGINT");
        if (await SignalAndWaitAsync(process, tree, Signals.Terminate, _options.TerminateGracePeriod).ConfigureAwait(false))
        {
            return;
        }

        Log.GraceExpired(_logger, step, tree.RootId, "SIGTERM");
        await KillAllAsync(process, tree, step).ConfigureAwait(false);
    }

    /// <summary>After the root exited by itself: SIGTERM, grace, SIGKILL for whatever it left running.</summary>
    private async Task StopLeftoversAsync(ChildProcess process, ProcessTree tree, string step)
    {
        var leftovers = tree.LiveMembers();
        if (leftovers.Count == 0)
        {
            return;
        }

        Log.Leftovers(_logger, step, tree.RootId, leftovers.Count);
        if (!await SignalAndWaitAsync(process, tree, Signals.Terminate, _options.TerminateGracePeriod).ConfigureAwait(false))
        {
            await KillAllAsync(process, tree, step).ConfigureAwait(false);
        }
    }

    private async Task<bool> SignalAndWaitAsync(ChildProcess process, ProcessTree tree, int signal, TimeSpan grace)
    {
        Signal(tree, tree.LiveMembers(thorough: true), signal);
        var start = _time.GetTimestamp();
        while (true)
        {
            if (process.HasExited && tree.LiveMembers(thorough: true).Count == 0)
            {
                return true;
            }

            if (_time.GetElapsedTime(start) >= grace)
            {
                return false;
            }

            await Task.Delay(PollInterval, _time).ConfigureAwait(false);
        }
    }

    private async Task KillAllAsync(ChildProcess process, ProcessTree tree, string step)
    {
        List<ProcStat> members = [];
        for (var round = 0; round < 100; round++)
        {
            members = tree.LiveMembers(thorough: true);
            if (members.Count == 0 && process.HasExited)
            {
                return;
            }

            Signal(tree, members, Signals.Kill);
            await Task.Delay(PollInterval, _time).ConfigureAwait(false);
        }

        Log.Survivors(_logger, step, tree.RootId, members.Count);
    }

    private static void Signal(ProcessTree tree, List<ProcStat> members, int signal)
    {
        if (tree.RootLeadsGroup)
        {
            Signals.SignalGroup(tree.RootId, signal);
        }

        foreach (var member in members)
        {
            Signals.SignalProcess(member.ProcessId, signal);
        }
    }

    private static string Mebibytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB");

    private static string FormatDuration(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###} s");

    private sealed class LimitBreach
    {
        public ProcessStopReason Reason { get; private set; }

        public string? Message { get; private set; }

        public void Set(ProcessStopReason reason, string message) => (Reason, Message) = (reason, message);
    }
}
