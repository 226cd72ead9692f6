using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitRemoteBranchReader
{
    private static partial class Log
    {
        [LoggerMessage(3200, LogLevel.Debug, "Branch {Branch} at the remote {Remote} is {Commit}")]
        public static partial void BranchRead(ILogger logger, string branch, string remote, string commit);

        [LoggerMessage(3201, LogLevel.Error, "The remote {Remote} refused the credentials when asked for {Branch}: {Error}")]
        public static partial void AuthenticationFailed(ILogger logger, string remote, string branch, string error);

        [LoggerMessage(3202, LogLevel.Warning, "git ls-remote of {Branch}, attempt {Attempt} failed; retrying in {DelayMs} ms: {Error}")]
        public static partial void RetryScheduled(ILogger logger, string branch, int attempt, double delayMs, string error);
    }
}
