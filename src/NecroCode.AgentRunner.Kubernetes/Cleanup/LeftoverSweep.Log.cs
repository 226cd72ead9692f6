using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes.Cleanup;

internal sealed partial class LeftoverSweep
{
    private static partial class Log
    {
        [LoggerMessage(9120, LogLevel.Warning, "Deleted the leftover Job {Job} of runner {RunnerId}: the host that created it is gone")]
        public static partial void LeftoverDeleted(ILogger logger, string job, string runnerId);
    }
}
