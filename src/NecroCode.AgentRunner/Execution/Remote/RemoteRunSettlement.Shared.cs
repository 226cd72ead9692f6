using System.Globalization;

namespace NecroCode.AgentRunner.Execution.Remote;

public sealed partial class RemoteRunSettlement
{
    /// <summary>
    /// Settles a run that ended and that wrote to the host's own (shared) registry and artifact store itself, as a
    /// cluster job does: there is no job folder. The task's record and events in the registry are the record; what the run
    /// printed (<paramref name="output"/>) only fills in the summary's details and must agree with it. A reported success
    /// counts only when the registry shows the task Done by the run with the same branch and commit, the output holds at most
    /// one result, and (when pushes are verified) the remote has the commit; otherwise the host appends its own TaskFailed
    /// and marks the task Failed (<see cref="RunOutcome.Refused"/>, <c>UnverifiedResult</c>). A run that ended without its
    /// own completion event (killed, out of memory, past its deadline) is marked Failed by the host with the reason.
    /// </summary>
    /// <param name="request">The run's request.</param>
    /// <param name="writer">The runner id the run wrote to the registry under.</param>
    /// <param name="output">What the run printed (<see cref="CreateReader"/>), read as far as it could be; may be empty.</param>
    /// <param name="end">How the run's process ended.</param>
    /// <param name="cancellationToken">Stops the settling.</param>
    /// <returns>The run's summary, with the artifacts the registry records.</returns>
    /// <exception cref="ExecutionEnvironmentException">The registry could not be read or updated (the task is marked Failed when it can be).</exception>
    public async Task<RunnerResult> SettleSharedAsync(ExecutionRequest request, string writer, RemoteEventReader output, RemoteRunEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(writer);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(end);
        var key = TaskKey.Of(request.Task);
        try
        {
            var record = await _registry.GetTaskAsync(key, cancellationToken).ConfigureAwait(false);
            var events = RunEvents(await _registry.GetEventsAsync(key, cancellationToken).ConfigureAwait(false), writer, end.StartedAt);
            var terminal = events.LastOrDefault(e => e.Type is TaskEventTypes.TaskCompleted or TaskEventTypes.TaskFailed);
            var result = RemoteRunConclusion.Conclude(request.Task, output, end, _options, _time.GetUtcNow());
            var resultLines = output.ResultLines;
            if (output.Result is null && terminal is not null && !end.TimedOut && !end.Cancelled && !end.OutOfMemory)
            {
                // The log broke before its result line: the registry holds what the run recorded.
                result = FromRegistry(request.Task, writer, terminal, record, end);
                resultLines = 1;
            }

            result = result with
            {
                TaskId = request.Task.TaskId,
                SpecName = request.Task.SpecName,
                RunnerId = writer,
                Artifacts = record?.Artifacts.Where(a => a.Uri is not null).ToList() ?? [],
            };
            if (result.Succeeded)
            {
                var remoteCheck = ReportedSuccess.StartRemoteCheck(_verifier, request.Task, result, cancellationToken);
                try
                {
                    var refusal = Disagreement(result, terminal)
                        ?? await ReportedSuccess.RefusalAsync(request.Task, resultLines, result, new InnerRegistry(record, events, null), remoteCheck, _verifier is not null, _options.VerifyPushSetting).ConfigureAwait(false);
                    if (refusal is not null)
                    {
                        Log.ResultRefused(_logger, key.ToString(), refusal);
                        result = result with
                        {
                            Outcome = RunOutcome.Refused,
                            State = RunnerState.Failed,
                            Error = new RunError(RemoteEventReader.Step, $"The run reported success, but {refusal}; the task is not marked Done.", "UnverifiedResult"),
                        };
                    }
                }
                finally
                {
                    if (remoteCheck is not null)
                    {
                        await ObserveAsync(remoteCheck).ConfigureAwait(false);
                    }
                }
            }

            if (!result.Succeeded && (terminal?.Type != TaskEventTypes.TaskFailed || record?.State != TaskState.Failed || result.Outcome == RunOutcome.Refused))
            {
                // The run's own record does not say how it ended (or says what the host refused): the host says it.
                var completion = TaskCompletion.Of(result.Outcome, result.Branch, result.CommitId, [], result.Error?.Message, result.Tests?.Comparison, result.Implementations);
                await _registry.AppendEventAsync(completion.ToEvent(key, writer, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                await _registry.SetTaskStateAsync(key, completion.State, writer, cancellationToken).ConfigureAwait(false);
            }

            EventsOf(request).Publish(new RunFinished(result.Outcome, result.Duration, result.Error?.Message) { RunnerId = writer });
            return result;
        }
        catch (Exception ex) when (ex is RegistryException or ClaimLostException or ArgumentException)
        {
            var message = $"The run's results for {key} could not be settled on the host: {ex.Message}";
            await MarkFailedAsync(key, writer, message).ConfigureAwait(false);
            throw new ExecutionEnvironmentException(message, ex);
        }
    }

    /// <summary>The task's events of this run: from the writer's last TaskStarted at or after the run's start on.</summary>
    private static List<TaskEvent> RunEvents(IReadOnlyList<TaskEvent> events, string writer, DateTimeOffset startedAt)
    {
        var start = -1;
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].Type == TaskEventTypes.TaskStarted && events[i].RunnerId == writer && events[i].Timestamp >= startedAt - TimeSpan.FromMinutes(1))
            {
                start = i;
                break;
            }
        }

        return start < 0 ? [] : [.. events.Skip(start)];
    }

    /// <summary>Why the summary the run printed does not match what it recorded, or null when it does.</summary>
    private static string? Disagreement(RunnerResult result, TaskEvent? terminal)
    {
        if (terminal is not { Type: TaskEventTypes.TaskCompleted } completed)
        {
            return "the registry holds no completion of this run";
        }

        var data = completed.Data ?? new Dictionary<string, string>();
        return data.GetValueOrDefault("branch") == result.Branch && string.Equals(data.GetValueOrDefault("commit"), result.CommitId, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"its output names {result.Branch} at {result.CommitId} while the registry records {data.GetValueOrDefault("branch")} at {data.GetValueOrDefault("commit")}";
    }

    /// <summary>The summary of a run whose printed result was lost, from its completion event in the registry.</summary>
    private RunnerResult FromRegistry(TaskContext task, string writer, TaskEvent terminal, TaskRecord? record, RemoteRunEnd end)
    {
        var data = terminal.Data ?? new Dictionary<string, string>();
        var outcome = Enum.TryParse<RunOutcome>(data.GetValueOrDefault("outcome"), out var parsed) ? parsed
            : terminal.Type == TaskEventTypes.TaskCompleted ? RunOutcome.Succeeded : RunOutcome.InfrastructureError;
        var succeeded = outcome == RunOutcome.Succeeded && terminal.Type == TaskEventTypes.TaskCompleted;
        var branch = data.GetValueOrDefault("branch");
        var commit = data.GetValueOrDefault("commit");
        return new RunnerResult
        {
            TaskId = task.TaskId,
            SpecName = task.SpecName,
            RunnerId = writer,
            Outcome = succeeded ? RunOutcome.Succeeded : outcome == RunOutcome.Succeeded ? RunOutcome.InfrastructureError : outcome,
            State = succeeded ? RunnerState.Completed : RunnerState.Failed,
            Branch = branch,
            CommitId = commit,
            Push = succeeded && branch is not null && commit is not null ? new PushResult(true, _options.Remote, branch, commit, 1) : null,
            StartedAt = end.StartedAt,
            FinishedAt = terminal.Timestamp,
            Error = succeeded ? null : new RunError(RemoteEventReader.Step, Mask(terminal.Message ?? string.Create(CultureInfo.InvariantCulture, $"The run failed ({outcome})."))),
            Artifacts = record?.Artifacts ?? [],
        };
    }
}
