using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration.Steps;

internal sealed partial class StepRunner
{
    private static partial class Log
    {
        [LoggerMessage(1003, LogLevel.Error, "Step {Step} of task {Task} threw")]
        public static partial void StepCrashed(ILogger logger, string step, string task, Exception exception);

        [LoggerMessage(1009, LogLevel.Error, "Step {Step} of task {Task} failed: {Message}")]
        public static partial void StepFailed(ILogger logger, string step, string task, string message);

        [LoggerMessage(1010, LogLevel.Debug, "Step {Step} of task {Task} failed with this exception")]
        public static partial void StepFailedDetail(ILogger logger, string step, string task, Exception exception);

        [LoggerMessage(1008, LogLevel.Warning, "The journal of task {Task} could not record the end of step {Step}")]
        public static partial void JournalNotWritten(ILogger logger, string task, string step, Exception exception);
    }
}
