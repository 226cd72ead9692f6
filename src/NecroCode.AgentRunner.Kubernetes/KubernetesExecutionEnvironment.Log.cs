using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes;

public sealed partial class KubernetesExecutionEnvironment
{
    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Information, "Created Job {Job} for {Task} in namespace {Namespace} (image {Image})")]
        public static partial void JobCreated(ILogger logger, string job, string task, string @namespace, string image);

        [LoggerMessage(9002, LogLevel.Information, "Job {Job} ended: {Kind} ({Reason}); its pods were listed {Lists} times")]
        public static partial void JobEnded(ILogger logger, string job, string kind, string reason, int lists);

        [LoggerMessage(9003, LogLevel.Information, "Deleted Job {Job} and its Secret")]
        public static partial void JobDeleted(ILogger logger, string job);

        [LoggerMessage(9004, LogLevel.Warning, "Job {Job} could not be deleted: {Reason}")]
        public static partial void DeleteFailed(ILogger logger, string job, string reason);

        [LoggerMessage(9005, LogLevel.Warning, "Kubernetes API call failed; retry {Attempt} in {DelayMs} ms: {Reason}")]
        public static partial void Retrying(ILogger logger, int attempt, double delayMs, string reason);
    }
}
