using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.TestExecution;

internal sealed partial class ProcessTestRunner
{
    private static partial class Log
    {
        [LoggerMessage(4100, LogLevel.Information, "Detected test command '{Command}' in {Workspace}")]
        public static partial void Detected(ILogger logger, string command, string workspace);

        [LoggerMessage(4101, LogLevel.Warning, "No test command given and none detected in {Workspace}")]
        public static partial void NothingDetected(ILogger logger, string workspace);

        [LoggerMessage(4102, LogLevel.Information, "Running test command '{Command}' in {Workspace}")]
        public static partial void CommandStarted(ILogger logger, string command, string workspace);

        [LoggerMessage(4103, LogLevel.Information, "Test command '{Command}' {Outcome} ({ExitStatus}) in {ElapsedMs} ms")]
        public static partial void CommandFinished(ILogger logger, string command, TestOutcome outcome, string exitStatus, double elapsedMs);

        [LoggerMessage(4104, LogLevel.Error, "Test command '{Command}' could not be started")]
        public static partial void CommandNotStarted(ILogger logger, string command, Exception exception);
    }
}
