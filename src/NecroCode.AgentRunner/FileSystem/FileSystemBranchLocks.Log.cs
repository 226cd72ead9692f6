using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.FileSystem;

internal sealed partial class FileSystemBranchLocks
{
    private static partial class Log
    {
        [LoggerMessage(6320, LogLevel.Debug, "Runner {RunnerId} holds branch {Branch} after {ElapsedMs} ms")]
        public static partial void BranchAcquired(ILogger logger, string branch, string runnerId, double elapsedMs);

        [LoggerMessage(6321, LogLevel.Debug, "Runner {RunnerId} let go of branch {Branch}")]
        public static partial void BranchReleased(ILogger logger, string branch, string runnerId);

        [LoggerMessage(6322, LogLevel.Warning, "Runner {RunnerId} did not get branch {Branch}: held by {HeldBy}")]
        public static partial void BranchBusy(ILogger logger, string branch, string runnerId, string heldBy);
    }
}
