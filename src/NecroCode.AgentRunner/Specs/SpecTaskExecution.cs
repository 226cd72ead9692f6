using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Runs one task of a spec run through the execution environment and keeps <c>tasks.md</c> and the resume record in
/// step: <c>[-]</c> and "running" before the run, <c>[x]</c> and "done" (with branch and commit) when it is done,
/// <c>[ ]</c> and "failed" when it failed; a cancelled run stays <c>[-]</c>, to be resumed. The file and the record
/// are written one change at a time.
/// </summary>
internal sealed class SpecTaskExecution(
    SpecFolder spec,
    SpecRunRecord record,
    SpecRunRecordStore store,
    IExecutionEnvironment environment,
    TimeProvider time,
    ILogger logger,
    ISpecEventSink? events) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>Reports a task that does not run: done (ticked off now when only the registry knew), or skipped.</summary>
    public async Task<SpecTaskResult> SettleAsync(SpecPlanItem item, CancellationToken cancellationToken)
    {
        var done = item.Action == SpecPlanAction.Done;
        if (done && item.Task.Status != SpecTaskStatus.Done)
        {
            await WriteAsync(item.Task, SpecTaskStatus.Done, SpecRunRecordState.Done, item.Branch, item.CommitId, cancellationToken).ConfigureAwait(false);
        }

        var result = new SpecTaskResult(item.Task.Id, item.Task.Title, done ? SpecTaskOutcome.AlreadyDone : SpecTaskOutcome.Skipped)
        {
            Branch = item.Branch,
            CommitId = item.CommitId,
            Reason = item.Reason,
        };
        events?.Publish(new SpecTaskFinished(result.TaskId, result));
        return result;
    }

    /// <summary>Runs (or resumes) the task, whose context already names its dependencies' results and its base.</summary>
    public async Task<SpecTaskResult> RunAsync(SpecPlanItem item, TaskContext task, CancellationToken cancellationToken)
    {
        var resume = item.Action == SpecPlanAction.Resume && environment.SupportsResume;
        var start = time.GetTimestamp();
        SpecTaskResult result;
        try
        {
            await WriteAsync(item.Task, SpecTaskStatus.InProgress, SpecRunRecordState.Running, null, null, cancellationToken).ConfigureAwait(false);
            SpecRunner.Log.TaskStarted(logger, spec.Name, item.Task.Id, item.Branch ?? "", task.BaseBranch ?? "the main branch");
            events?.Publish(new SpecTaskStarted(item.Task.Id, item.Branch ?? "", task.BaseBranch, task.BaseCommit, resume));
            var sink = events is null ? null : new TaskEvents(item.Task.Id, events);
            var run = await environment.RunAsync(new ExecutionRequest(task, sink) { Resume = resume }, cancellationToken).ConfigureAwait(false);
            result = new SpecTaskResult(item.Task.Id, item.Task.Title, OutcomeOf(run.Outcome))
            {
                Branch = run.Branch ?? item.Branch,
                CommitId = run.CommitId,
                Duration = run.Duration,
                Attempts = run.Implementations.Count,
                RunOutcome = run.Outcome,
                Run = run,
                Reason = run.Error?.Message,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = Failed(item, SpecTaskOutcome.Cancelled, RunOutcome.Cancelled, "the spec run was cancelled", start);
        }
        catch (AgentRunnerException ex)
        {
            var outcome = ex switch
            {
                TaskConflictException or SlotUnavailableException => RunOutcome.Conflict,
                TaskValidationException or Playbooks.PlaybookException => RunOutcome.InvalidTask,
                _ => RunOutcome.InfrastructureError,
            };
            result = Failed(item, SpecTaskOutcome.Failed, outcome, ex.Message, start);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The resume record could not be written before the run: the task did not start.
            result = Failed(item, SpecTaskOutcome.Failed, RunOutcome.InfrastructureError, ex.Message, start);
        }

        switch (result.Outcome)
        {
            case SpecTaskOutcome.Succeeded:
                await WriteAsync(item.Task, SpecTaskStatus.Done, SpecRunRecordState.Done, result.Branch, result.CommitId, CancellationToken.None).ConfigureAwait(false);
                break;
            case SpecTaskOutcome.Failed:
                await WriteAsync(item.Task, SpecTaskStatus.NotStarted, SpecRunRecordState.Failed, result.Branch, null, CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                break;
        }

        SpecRunner.Log.TaskFinished(logger, spec.Name, item.Task.Id, result.Outcome);
        events?.Publish(new SpecTaskFinished(result.TaskId, result));
        return result;
    }

    public void Dispose() => _writes.Dispose();

    private static SpecTaskOutcome OutcomeOf(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Succeeded => SpecTaskOutcome.Succeeded,
        RunOutcome.Cancelled => SpecTaskOutcome.Cancelled,
        _ => SpecTaskOutcome.Failed,
    };

    private SpecTaskResult Failed(SpecPlanItem item, SpecTaskOutcome outcome, RunOutcome runOutcome, string reason, long start) =>
        new(item.Task.Id, item.Task.Title, outcome) { Branch = item.Branch, Duration = time.GetElapsedTime(start), RunOutcome = runOutcome, Reason = reason };

    /// <summary>
    /// Sets the task's record entry and checkbox, one change at a time. A checkbox that cannot be written is a warning;
    /// so is a record that cannot be written after a run (its outcome stands), but not before one (the task does not start).
    /// </summary>
    private async Task WriteAsync(SpecTask task, SpecTaskStatus status, SpecRunRecordState state, string? branch, string? commit, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                record.Tasks[task.Id] = new SpecRunRecordEntry(state, branch, commit, time.GetUtcNow());
                await store.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && state != SpecRunRecordState.Running)
            {
                SpecRunner.Log.RecordFailed(logger, spec.Name, task.Id, store.PathOf(spec.Name), ex.Message);
            }

            try
            {
                if (!await TasksFileWriter.SetStatusAsync(spec.TasksPath, task.Id, status, cancellationToken).ConfigureAwait(false))
                {
                    SpecRunner.Log.TaskGoneFromFile(logger, spec.Name, task.Id, spec.TasksPath);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                SpecRunner.Log.TickFailed(logger, spec.Name, task.Id, status, spec.TasksPath, ex.Message);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Passes a task's run events on as <see cref="SpecTaskRunEvent"/>s.</summary>
    private sealed class TaskEvents(string taskId, ISpecEventSink sink) : IRunEventSink
    {
        public void Publish(RunEvent runEvent) => sink.Publish(new SpecTaskRunEvent(taskId, runEvent));
    }
}
