using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Connection;

internal sealed partial class PostgreSqlDatabase
{
    private static partial class Log
    {
        [LoggerMessage(12001, LogLevel.Information, "{Server} is ready: schema {Schema} at version {Version}")]
        public static partial void Ready(ILogger logger, string server, string schema, int version);

        [LoggerMessage(12002, LogLevel.Warning, "{Server} did not answer to {Operation} (attempt {Attempt}); trying again in {PauseMs} ms: {Reason}")]
        public static partial void Retrying(ILogger logger, string server, string operation, int attempt, double pauseMs, string reason);

        [LoggerMessage(12003, LogLevel.Information, "{Server} answered again: {Operation} succeeded at attempt {Attempt}")]
        public static partial void Recovered(ILogger logger, string server, string operation, int attempt);
    }
}
