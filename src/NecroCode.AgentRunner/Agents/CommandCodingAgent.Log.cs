using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Agents;

public sealed partial class CommandCodingAgent
{
    private static partial class Log
    {
        [LoggerMessage(4200, LogLevel.Information, "Running agent command {Command} for task {TaskId}, attempt {Attempt} (prompt via {PromptMode})")]
        public static partial void Starting(ILogger logger, string command, string taskId, int attempt, PromptMode promptMode);

        [LoggerMessage(4201, LogLevel.Information, "Agent command {Command} succeeded in {ElapsedMs} ms")]
        public static partial void Succeeded(ILogger logger, string command, double elapsedMs);

        [LoggerMessage(4202, LogLevel.Warning, "Agent command {Command} failed ({ExitStatus}): {How}")]
        public static partial void Failed(ILogger logger, string command, string exitStatus, string how);

        [LoggerMessage(4203, LogLevel.Error, "Agent command {Command} could not be started")]
        public static partial void NotStarted(ILogger logger, string command, Exception exception);

        [LoggerMessage(4204, LogLevel.Warning, "The prompt folder {Folder} could not be deleted")]
        public static partial void PromptNotDeleted(ILogger logger, string folder, Exception exception);
    }
}
