using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Health;

namespace HostedRunner;

/// <summary>
/// Takes one task at a time from the queue and runs it, until the host stops. On stop it claims nothing more, tells
/// the readiness check so, and lets the task in progress finish within <see cref="WorkerOptions.DrainTimeout"/>.
/// </summary>
internal sealed partial class QueueWorker(
    ITaskQueue queue,
    ITaskRegistry registry,
    IExecutionEnvironment environment,
    HealthCheckService health,
    RunnerReadiness readiness,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<QueueWorker> logger) : BackgroundService
{
    private readonly WorkerOptions _options = options.Value;

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // From now on /readyz says "not ready", so nothing sends this instance more work while it winds down.
        readiness.MarkShuttingDown("the service is stopping");
        Log.Stopping(logger);
        return base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitUntilReadyAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                // Each claim gets a runner id of its own: the run registers under it, holds the task's claim under it,
                // and a worker that takes over this task after a crash resumes the run from its journal.
                var runnerId = $"hosted-{Environment.MachineName}-{Guid.CreateVersion7():N}";
                var claimed = await TryClaimAsync(runnerId, stoppingToken);
                if (claimed is null)
                {
                    await queue.WaitForWorkAsync(_options.IdleWait, stoppingToken);
                    continue;
                }

                await RunAsync(claimed, runnerId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while waiting for work or for readiness: nothing was claimed.
        }

        Log.Stopped(logger);
    }

    /// <summary>Claims the next task; null when there is none, or when the registry did not answer (logged, asked again later).</summary>
    private async Task<QueuedTask?> TryClaimAsync(string runnerId, CancellationToken stoppingToken)
    {
        try
        {
            return await queue.ClaimNextAsync(runnerId, stoppingToken);
        }
        catch (RegistryException ex)
        {
            // An exception escaping ExecuteAsync would stop the whole host: a registry that is briefly away is not a reason.
            Log.QueueUnavailable(logger, ex.Message);
            return null;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains(AgentRunnerHealthChecks.ReadyTag), stoppingToken);
            foreach (var (name, entry) in report.Entries)
            {
                Log.Check(logger, name, entry.Status, entry.Description);
            }

            if (report.Status == HealthStatus.Healthy)
            {
                Log.Ready(logger);
                return;
            }

            await Task.Delay(_options.IdleWait, stoppingToken);
        }
    }

    private async Task RunAsync(QueuedTask claimed, string runnerId, CancellationToken stoppingToken)
    {
        var task = claimed.Entry.Task;
        Log.Claimed(logger, task.ToString(), runnerId);

        // The run does not take stoppingToken directly: a stop gives it DrainTimeout to finish, then cancels it.
        using var run = new CancellationTokenSource();
        using var drain = stoppingToken.Register(() => run.CancelAfter(_options.DrainTimeout));
        try
        {
            var result = await environment.RunAsync(new ExecutionRequest(claimed.Definition) { RunnerId = runnerId }, run.Token);
            Log.Finished(logger, task.ToString(), result.Outcome, result.Branch, result.Error?.Message);
        }
        catch (AgentRunnerException ex)
        {
            // The task or its playbook is invalid: the run did not start and touched nothing. Record the task Failed
            // under our claim, or it would stay Running for as long as this process lives.
            Log.CouldNotStart(logger, task.ToString(), ex.Message);
            await registry.AppendEventAsync(new TaskEvent(task, TaskEventTypes.TaskFailed, time.GetUtcNow(), runnerId, ex.Message), CancellationToken.None);
            await registry.SetTaskStateAsync(task, TaskState.Failed, runnerId, CancellationToken.None);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Readiness check {Name}: {Status} ({Description})")]
        public static partial void Check(ILogger logger, string name, HealthStatus status, string? description);

        [LoggerMessage(2, LogLevel.Information, "Ready: taking tasks from the queue")]
        public static partial void Ready(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Claimed {Task} as runner {RunnerId}")]
        public static partial void Claimed(ILogger logger, string task, string runnerId);

        [LoggerMessage(4, LogLevel.Information, "Task {Task} finished: {Outcome}, branch {Branch} {Error}")]
        public static partial void Finished(ILogger logger, string task, RunOutcome outcome, string? branch, string? error);

        [LoggerMessage(5, LogLevel.Error, "Task {Task} could not start: {Reason}")]
        public static partial void CouldNotStart(ILogger logger, string task, string reason);

        [LoggerMessage(6, LogLevel.Information, "Stopping: no more tasks are claimed; a task in progress may finish")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(7, LogLevel.Information, "Stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(8, LogLevel.Warning, "The queue could not be asked for work: {Reason}")]
        public static partial void QueueUnavailable(ILogger logger, string reason);
    }
}
