using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemTaskQueue
{
    private static partial class Log
    {
        [LoggerMessage(6500, LogLevel.Information, "Task {Task} enqueued")]
        public static partial void Enqueued(ILogger logger, string task);

        [LoggerMessage(6501, LogLevel.Information, "Runner {RunnerId} claimed task {Task} from the queue (claim {Claims})")]
        public static partial void Claimed(ILogger logger, string task, string runnerId, int claims);

        [LoggerMessage(6502, LogLevel.Information, "Runner {RunnerId} handed task {Task} back to the queue")]
        public static partial void Returned(ILogger logger, string task, string runnerId);
    }
}
