using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

internal sealed partial class JobWatch
{
    private static partial class Log
    {
        [LoggerMessage(9101, LogLevel.Debug, "The watch of Job {Job} ended ({Reason}); listing again")]
        public static partial void WatchEnded(ILogger logger, string job, string reason);
    }
}
