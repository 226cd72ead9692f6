using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Locks;

internal sealed partial class PostgreSqlBranchLock
{
    private static partial class Log
    {
        [LoggerMessage(12060, LogLevel.Debug, "Runner {RunnerId} locked branch {Branch} after {WaitedMs} ms")]
        public static partial void Acquired(ILogger logger, string branch, string runnerId, double waitedMs);

        [LoggerMessage(12061, LogLevel.Warning, "Runner {RunnerId} gave up waiting for branch {Branch}, held by {Holder}")]
        public static partial void Busy(ILogger logger, string branch, string runnerId, string holder);

        [LoggerMessage(12062, LogLevel.Debug, "Runner {RunnerId} unlocked branch {Branch}")]
        public static partial void Released(ILogger logger, string branch, string runnerId);

        [LoggerMessage(12063, LogLevel.Warning, "Runner {RunnerId} could not unlock branch {Branch}; the lock expires after its lease: {Reason}")]
        public static partial void ReleaseFailed(ILogger logger, string branch, string runnerId, string reason);
    }
}
