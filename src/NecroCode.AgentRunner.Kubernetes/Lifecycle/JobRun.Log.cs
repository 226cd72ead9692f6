using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

internal sealed partial class JobRun
{
    private static partial class Log
    {
        [LoggerMessage(9110, LogLevel.Information, "Job {Job}: pod {Pod} is {Kind} ({Reason})")]
        public static partial void PodState(ILogger logger, string job, string pod, string kind, string reason);

        [LoggerMessage(9111, LogLevel.Warning, "Job {Job}: its pod stayed pending past {Timeout}; the run is given up")]
        public static partial void PendingTimedOut(ILogger logger, string job, TimeSpan timeout);

        [LoggerMessage(9112, LogLevel.Information, "Job {Job}: the host cancelled the run")]
        public static partial void Cancelled(ILogger logger, string job);

        [LoggerMessage(9113, LogLevel.Debug, "Job {Job}: the pod's events or the Job could not be read ({Reason})")]
        public static partial void EventsUnread(ILogger logger, string job, string reason);
    }
}
