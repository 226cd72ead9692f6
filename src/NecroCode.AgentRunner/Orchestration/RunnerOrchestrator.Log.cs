using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

public sealed partial class RunnerOrchestrator
{
    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Task {Task} started by runner {RunnerId} on branch {Branch}")]
        public static partial void RunStarted(ILogger logger, string task, string runnerId, string branch);

        [LoggerMessage(1002, LogLevel.Information, "Task {Task} finished: {Outcome} after {ElapsedSeconds} s")]
        public static partial void RunFinished(ILogger logger, string task, RunOutcome outcome, double elapsedSeconds);

        [LoggerMessage(1003, LogLevel.Error, "Step {Step} of task {Task} threw")]
        public static partial void StepCrashed(ILogger logger, string step, string task, Exception exception);

        [LoggerMessage(1009, LogLevel.Error, "Step {Step} of task {Task} failed: {Message}")]
        public static partial void StepFailed(ILogger logger, string step, string task, string message);

        [LoggerMessage(1010, LogLevel.Debug, "Step {Step} of task {Task} failed with this exception")]
        public static partial void StepFailedDetail(ILogger logger, string step, string task, Exception exception);

        [LoggerMessage(1004, LogLevel.Warning, "Artifact {Name} of task {Task} could not be recorded in the registry")]
        public static partial void ArtifactNotRecorded(ILogger logger, string name, string task, Exception exception);

        [LoggerMessage(1005, LogLevel.Warning, "The run log could not be uploaded; it is kept at {Path}")]
        public static partial void RunLogKept(ILogger logger, string path, Exception exception);

        [LoggerMessage(1006, LogLevel.Warning, "The state file {Path} could not be written")]
        public static partial void StateFileFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(1007, LogLevel.Warning, "Slot {SlotId} quarantined after the run of task {Task}: {Reason}")]
        public static partial void SlotQuarantined(ILogger logger, string slotId, string task, string reason);

        [LoggerMessage(1008, LogLevel.Warning, "The journal of task {Task} could not record the end of step {Step}")]
        public static partial void JournalNotWritten(ILogger logger, string task, string step, Exception exception);
    }
}
