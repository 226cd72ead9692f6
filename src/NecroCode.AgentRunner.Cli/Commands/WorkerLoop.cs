using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// The worker's loop: claim the next task while there is room, run it under the claim's runner id, wait for work when
/// idle; once stopped, drain — claim nothing more, let the running tasks finish within the drain timeout, hand the rest
/// back to the queue (never abandon one) and wait for their runs to wind down.
/// </summary>
internal sealed class WorkerLoop(IServiceProvider services, WorkerSettings settings, OutputMode output, TextWriter stdout, TextWriter stderr)
{
    private readonly ITaskQueue _queue = services.GetRequiredService<ITaskQueue>();
    private readonly ITaskRegistry _registry = services.GetRequiredService<ITaskRegistry>();
    private readonly IExecutionEnvironment _environment = services.GetRequiredService<IExecutionEnvironment>();
    private readonly List<WorkerRun> _running = [];
    private readonly Lock _output = new();

    /// <summary>Runs until <paramref name="stopping"/> is cancelled, then drains.</summary>
    /// <returns>The exit code: 0 after a clean drain.</returns>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        Say($"Worker started: up to {settings.MaxParallel} task(s) at once, {_environment.Name} execution.");
        while (!stopping.IsCancellationRequested)
        {
            RemoveEnded();
            if (_running.Count < settings.MaxParallel && await TryClaimAsync(stopping).ConfigureAwait(false))
            {
                continue;
            }

            await WaitAsync(stopping).ConfigureAwait(false);
        }

        return await DrainAsync().ConfigureAwait(false);
    }

    private void RemoveEnded()
    {
        foreach (var ended in _running.Where(r => r.Completion.IsCompleted).ToList())
        {
            ended.Dispose();
            _running.Remove(ended);
        }
    }

    /// <summary>Claims and starts the next task; false when there is none (or the queue could not be asked).</summary>
    private async Task<bool> TryClaimAsync(CancellationToken stopping)
    {
        var runnerId = "worker-" + Guid.CreateVersion7().ToString("N");
        QueuedTask? claimed;
        try
        {
            claimed = await _queue.ClaimNextAsync(runnerId, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (RegistryException ex)
        {
            Warn($"The queue could not be asked for work: {ex.Message}");
            return false;
        }

        if (claimed is null)
        {
            return false;
        }

        Say($"Claimed {claimed.Entry.Task} as runner {runnerId} (claim {claimed.Entry.Claims}).");
        _running.Add(WorkerRun.Start(claimed, runnerId, _environment, _registry, Report));
        return true;
    }

    /// <summary>Waits for a run to end, for work (when there is room for it), or for the stop.</summary>
    private async Task WaitAsync(CancellationToken stopping)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = _running.Select(r => r.Completion).ToList();
        waits.Add(Task.Delay(Timeout.Infinite, wake.Token));
        if (_running.Count < settings.MaxParallel)
        {
            waits.Add(_queue.WaitForWorkAsync(settings.IdleWait, wake.Token));
        }

        await Task.WhenAny(waits).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(waits.Where(w => !_running.Any(r => r.Completion == w))).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private async Task<int> DrainAsync()
    {
        services.GetRequiredService<RunnerReadiness>().MarkShuttingDown("the worker is draining: it takes no more tasks");
        RemoveEnded();
        Say(string.Create(CultureInfo.InvariantCulture, $"Draining: claiming no more tasks; {_running.Count} running task(s) get {settings.DrainTimeout.TotalSeconds:0.###} s to finish."));
        var all = Task.WhenAll(_running.Select(r => r.Completion));
        if (await Task.WhenAny(all, Task.Delay(settings.DrainTimeout)).ConfigureAwait(false) != all)
        {
            foreach (var run in _running.Where(r => !r.Completion.IsCompleted))
            {
                await HandBackAsync(run).ConfigureAwait(false);
            }
        }

        await all.ConfigureAwait(false);
        RemoveEnded();
        Say("Drained: every task finished or was handed back.");
        return ExitCodes.Succeeded;
    }

    /// <summary>Hands a task that did not finish in time back to the queue, then stops its run (which records nothing more).</summary>
    private async Task HandBackAsync(WorkerRun run)
    {
        try
        {
            await _queue.ReturnAsync(run.Task, run.RunnerId, CancellationToken.None).ConfigureAwait(false);
            Say($"Handed {run.Task} back to the queue; stopping its run.");
        }
        catch (ClaimLostException ex)
        {
            // Finished (or was taken over) meanwhile: nothing to hand back.
            Say($"{run.Task} needs no hand-back: {ex.Message}");
        }
        catch (RegistryException ex)
        {
            Warn($"{run.Task} could not be handed back ({ex.Message}); its claim ends with this worker, and another worker takes it over then.");
        }

        run.Stop();
    }

    /// <summary>Prints a finished run's summary (or its result line).</summary>
    private void Report(RunnerResult result)
    {
        lock (_output)
        {
            if (output == OutputMode.JsonLines)
            {
                stdout.WriteLine(ResultLine.Serialize(result));
            }
            else
            {
                SummaryWriter.Write(stdout, result);
            }

            stdout.Flush();
        }
    }

    private void Say(string line)
    {
        lock (_output)
        {
            stderr.WriteLine(line);
        }
    }

    private void Warn(string line) => Say("warning: " + line);
}
