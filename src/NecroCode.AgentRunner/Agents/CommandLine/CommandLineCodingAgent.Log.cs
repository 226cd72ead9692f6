using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Agents.CommandLine;

public partial class CommandLineCodingAgent
{
    private static partial class Log
    {
        [LoggerMessage(4300, LogLevel.Information, "Running {Agent} ({Command}) for task {TaskId}, attempt {Attempt}")]
        public static partial void Starting(ILogger logger, string agent, string command, string taskId, int attempt);

        [LoggerMessage(4301, LogLevel.Information, "{Agent} succeeded in {ElapsedMs} ms")]
        public static partial void Succeeded(ILogger logger, string agent, double elapsedMs);

        [LoggerMessage(4302, LogLevel.Warning, "{Agent} failed ({ExitStatus}): {Error}")]
        public static partial void Failed(ILogger logger, string agent, string exitStatus, string error);

        [LoggerMessage(4303, LogLevel.Error, "{Agent} could not be started ({Command})")]
        public static partial void NotStarted(ILogger logger, string agent, string command, Exception exception);

        [LoggerMessage(4304, LogLevel.Information, "{Agent} reported {InputTokens} input and {OutputTokens} output tokens, cost {CostUsd} USD")]
        public static partial void UsageReported(ILogger logger, string agent, long inputTokens, long outputTokens, decimal costUsd);

        [LoggerMessage(4305, LogLevel.Warning, "{Agent} exited with code {ExitCode} without a final result message; its exit code decides")]
        public static partial void NoFinalResult(ILogger logger, string agent, int? exitCode);

        [LoggerMessage(4306, LogLevel.Information, "{Agent} reported {InputTokens} input and {OutputTokens} output tokens, no cost")]
        public static partial void UsageReportedWithoutCost(ILogger logger, string agent, long inputTokens, long outputTokens);

        [LoggerMessage(4307, LogLevel.Warning, "{Agent} timed out after {TimeoutSeconds} s; its process tree was stopped")]
        public static partial void TimedOut(ILogger logger, string agent, double timeoutSeconds);

        [LoggerMessage(4308, LogLevel.Warning, "The prompt folder {Folder} could not be deleted")]
        public static partial void PromptNotDeleted(ILogger logger, string folder, Exception exception);

        [LoggerMessage(4320, LogLevel.Warning, "{Agent} crossed its budget: {Breach}")]
        public static partial void OverBudget(ILogger logger, string agent, string breach);
    }
}
