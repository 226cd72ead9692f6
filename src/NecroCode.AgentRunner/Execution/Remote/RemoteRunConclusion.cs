using System.Globalization;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>Turns what a run out of process did into its summary, whatever way it ended (before the host checks it).</summary>
internal static class RemoteRunConclusion
{
    /// <summary>The run's summary: the runner's own result when it ended by itself, else a failed one saying why.</summary>
    public static RunnerResult Conclude(TaskContext task, RemoteEventReader output, RemoteRunEnd end, RemoteSettlementOptions options, DateTimeOffset now)
    {
        RunError? error;
        var outcome = RunOutcome.InfrastructureError;
        var lastError = output.LastError is null ? "" : " Last error: " + output.LastError;
        if (end.Failure is { } failure)
        {
            outcome = end.TimedOut ? RunOutcome.TimedOut : end.Cancelled ? RunOutcome.Cancelled : RunOutcome.InfrastructureError;
            error = failure;
        }
        else if (end.TimedOut)
        {
            outcome = RunOutcome.TimedOut;
            error = new RunError(RemoteEventReader.Step, $"The container ran past its timeout of {end.Timeout} and was stopped.", "Timeout");
        }
        else if (end.Cancelled)
        {
            outcome = RunOutcome.Cancelled;
            error = new RunError(RemoteEventReader.Step, "The run was cancelled; the container was stopped.");
        }
        else if (end.OutOfMemory && output.Result is not { Succeeded: true })
        {
            outcome = output.Result?.Outcome ?? RunOutcome.InfrastructureError;
            var limit = end.MemoryLimitBytes is { } bytes ? $" of {bytes.ToString(CultureInfo.InvariantCulture)} bytes" : "";
            error = new RunError(RemoteEventReader.Step, $"Out of memory: a process in the container exceeded the memory limit{limit} and was killed by the OOM killer.", "OutOfMemory");
        }
        else if (output.Result is { } inner)
        {
            return inner;
        }
        else if (end.ExitCode > 128 && end.ExitCode < 160)
        {
            var how = options.OutsideStops is { } stops ? $" (e.g. {stops})" : "";
            error = new RunError(RemoteEventReader.Step, $"The container was killed by signal {end.ExitCode - 128} (exit code {end.ExitCode}) before the runner wrote a result: it was stopped from outside the run{how} or by the engine.{lastError}", "ContainerKilled");
        }
        else
        {
            error = new RunError(RemoteEventReader.Step, $"The runner in the container exited with code {end.ExitCode} without a result.{lastError}");
        }

        if (output.Result is { } partial)
        {
            return partial with { Outcome = outcome == RunOutcome.Succeeded ? RunOutcome.InfrastructureError : outcome, State = RunnerState.Failed, Error = error, FinishedAt = now };
        }

        return new RunnerResult
        {
            TaskId = task.TaskId,
            SpecName = task.SpecName,
            RunnerId = output.RunnerId ?? options.RunnerId,
            Outcome = outcome,
            State = RunnerState.Failed,
            StartedAt = end.StartedAt,
            FinishedAt = now,
            Error = error,
        };
    }
}
