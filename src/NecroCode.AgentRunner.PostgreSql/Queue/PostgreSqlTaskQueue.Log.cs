using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Queue;

internal sealed partial class PostgreSqlTaskQueue
{
    private static partial class Log
    {
        [LoggerMessage(12040, LogLevel.Information, "Task {Task} enqueued")]
        public static partial void Enqueued(ILogger logger, string task);

        [LoggerMessage(12041, LogLevel.Information, "Runner {RunnerId} claimed queued task {Task} (fence {Fence}; expired claim before: {Previous})")]
        public static partial void Claimed(ILogger logger, string task, string runnerId, long fence, string previous);

        [LoggerMessage(12042, LogLevel.Information, "Runner {RunnerId} handed task {Task} back to the queue")]
        public static partial void Returned(ILogger logger, string task, string runnerId);
    }
}
