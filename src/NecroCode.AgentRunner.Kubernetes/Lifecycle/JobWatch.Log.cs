using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

internal sealed partial class JobWatch
{
    private static partial class Log
    {
        [LoggerMessage(9101, LogLevel.Debug, "The watch of Job {Job} ended ({Reason}); listing again")]
        public static partial void WatchEnded(ILogger logger, string job, string reason);

        [LoggerMessage(9102, LogLevel.Warning, "Listing the pods of Job {Job} failed ({Failures} in a row): {Reason}")]
        public static partial void ListFailed(ILogger logger, string job, int failures, string reason);
    }
}
