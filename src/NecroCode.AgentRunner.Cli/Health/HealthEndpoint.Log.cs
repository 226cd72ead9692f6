using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Cli.Health;

internal sealed partial class HealthEndpoint
{
    private static partial class Log
    {
        [LoggerMessage(4500, LogLevel.Information, "Serving health on {Address} (/healthz, /readyz)")]
        public static partial void Listening(ILogger logger, Uri address);

        [LoggerMessage(4501, LogLevel.Debug, "Stopped serving health on {Address}")]
        public static partial void Stopped(ILogger logger, Uri address);

        [LoggerMessage(4502, LogLevel.Warning, "Readiness is {Status}")]
        public static partial void NotReady(ILogger logger, HealthStatus status);

        [LoggerMessage(4503, LogLevel.Warning, "A health request failed")]
        public static partial void RequestFailed(ILogger logger, Exception exception);

        [LoggerMessage(4504, LogLevel.Warning, "Accepting a health request failed")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);
    }
}
