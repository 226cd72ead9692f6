using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

internal sealed partial class RunnerOrchestrator
{
    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Task {Task} started by runner {RunnerId} on branch {Branch}")]
        public static partial void RunStarted(ILogger logger, string task, string runnerId, string branch);

        [LoggerMessage(1002, LogLevel.Information, "Task {Task} finished: {Outcome} after {ElapsedSeconds} s")]
        public static partial void RunFinished(ILogger logger, string task, RunOutcome outcome, double elapsedSeconds);
    }
}
