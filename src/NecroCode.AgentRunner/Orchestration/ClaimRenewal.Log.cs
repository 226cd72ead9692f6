using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

internal static partial class ClaimRenewal
{
    private static partial class Log
    {
        [LoggerMessage(1120, LogLevel.Debug, "Runner {RunnerId} renewed its claim of {Task} until {ExpiresAt}")]
        public static partial void Renewed(ILogger logger, string task, string runnerId, DateTimeOffset expiresAt);

        [LoggerMessage(1121, LogLevel.Warning, "Runner {RunnerId} could not renew its claim of {Task} (it expires at {ExpiresAt}); retrying")]
        public static partial void RenewalFailed(ILogger logger, Exception exception, string task, string runnerId, DateTimeOffset expiresAt);

        [LoggerMessage(1122, LogLevel.Error, "Runner {RunnerId} lost its claim of {Task}: {Reason}")]
        public static partial void Lost(ILogger logger, string task, string runnerId, string reason);
    }
}
