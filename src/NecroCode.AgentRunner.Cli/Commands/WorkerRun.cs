namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// One task a worker runs, under the runner id it claimed the task with. A run that could not even start (an invalid
/// playbook …) leaves the task Failed with the reason, never Running; the runner's registration goes when it ends.
/// </summary>
internal sealed class WorkerRun : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private WorkerRun(TaskKey task, string runnerId)
    {
        Task = task;
        RunnerId = runnerId;
    }

    public TaskKey Task { get; }

    public string RunnerId { get; }

    /// <summary>Completes when the run has ended and its summary was reported.</summary>
    public Task Completion { get; private set; } = System.Threading.Tasks.Task.CompletedTask;

    public static WorkerRun Start(QueuedTask claimed, string runnerId, IExecutionEnvironment environment, ITaskRegistry registry, Action<RunnerResult> report)
    {
        var run = new WorkerRun(claimed.Entry.Task, runnerId);
        run.Completion = System.Threading.Tasks.Task.Run(() => run.RunAsync(claimed.Definition, claimed.Claim, environment, registry, report));
        return run;
    }

    /// <summary>Stops the run (after its task was handed back): its steps are cancelled and it winds down.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(TaskContext definition, TaskClaim? claim, IExecutionEnvironment environment, ITaskRegistry registry, Action<RunnerResult> report)
    {
        using var runEnded = new CancellationTokenSource();
        var keeper = WorkerClaimKeeper.KeepAsync(registry, Task, RunnerId, claim, LoseClaim, TimeProvider.System, runEnded.Token);
        try
        {
            report(await environment.RunAsync(new ExecutionRequest(definition) { RunnerId = RunnerId }, _stop.Token).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // A run that could not start must not end the worker; the task is recorded Failed with the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await RecordFailureAsync(registry, ex.Message).ConfigureAwait(false);
        }
        finally
        {
            await runEnded.CancelAsync().ConfigureAwait(false);
            await keeper.ConfigureAwait(false);
            await ForgetRunnerAsync(registry).ConfigureAwait(false);
        }
    }

    private void LoseClaim(string reason)
    {
        System.Console.Error.WriteLine($"Task {Task}: runner {RunnerId} lost its claim ({reason}); its run stops and writes nothing more.");
        Stop();
    }

    private async Task RecordFailureAsync(ITaskRegistry registry, string reason)
    {
        try
        {
            await registry.AppendEventAsync(new TaskEvent(Task, TaskEventTypes.TaskFailed, DateTimeOffset.UtcNow, RunnerId, $"The run could not start: {reason}"), CancellationToken.None).ConfigureAwait(false);
            await registry.SetTaskStateAsync(Task, TaskState.Failed, RunnerId, CancellationToken.None).ConfigureAwait(false);
            await System.Console.Error.WriteLineAsync($"Task {Task}: the run could not start: {reason}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RegistryException or ClaimLostException)
        {
            await System.Console.Error.WriteLineAsync($"Task {Task}: the run could not start ({reason}), and its failure could not be recorded: {ex.Message}").ConfigureAwait(false);
        }
    }

    private async Task ForgetRunnerAsync(ITaskRegistry registry)
    {
        try
        {
            await registry.UnregisterRunnerAsync(RunnerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RegistryException)
        {
            // The registration lapses with the claim, or is seen to be dead.
        }
    }
}
