using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

internal sealed partial class RunEventChannel
{
    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Information, "Step {Step} of task {TaskId} started (runner {RunnerId})")]
        public static partial void StepStarted(ILogger logger, string step, string taskId, string runnerId);

        [LoggerMessage(1102, LogLevel.Information, "Step {Step} of task {TaskId} {Outcome} in {ElapsedMs} ms {Message}")]
        public static partial void StepFinished(ILogger logger, string step, string taskId, StepOutcome outcome, double elapsedMs, string? message);

        [LoggerMessage(1103, LogLevel.Information, "Runner {RunnerId} moved from {From} to {To} {Reason}")]
        public static partial void StateChanged(ILogger logger, string runnerId, RunnerState from, RunnerState to, string? reason);

        [LoggerMessage(1104, LogLevel.Warning, "Step {Step}: {Operation} attempt {Attempt} failed, retrying in {DelayMs} ms: {Error}")]
        public static partial void Retry(ILogger logger, string step, string operation, int attempt, double delayMs, string error);

        [LoggerMessage(1105, LogLevel.Warning, "Step {Step}: {Message}")]
        public static partial void Warning(ILogger logger, string? step, string message);

        [LoggerMessage(1106, LogLevel.Debug, "[{Step}] {Stream}: {Text}")]
        public static partial void Output(ILogger logger, string step, OutputSource stream, string text);

        [LoggerMessage(1107, LogLevel.Information, "Artifact {Name} stored at {Location}")]
        public static partial void Artifact(ILogger logger, string name, string? location);

        [LoggerMessage(1108, LogLevel.Information, "Task {TaskId} finished: {Outcome} in {ElapsedSeconds} s {Error}")]
        public static partial void RunFinished(ILogger logger, string taskId, RunOutcome outcome, double elapsedSeconds, string? error);

        [LoggerMessage(1109, LogLevel.Error, "Writing the run log of runner {RunnerId} failed")]
        public static partial void RunLogWriteFailed(ILogger logger, string runnerId, Exception exception);

        [LoggerMessage(1110, LogLevel.Error, "Run event observer {Observer} failed")]
        public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);
    }
}
