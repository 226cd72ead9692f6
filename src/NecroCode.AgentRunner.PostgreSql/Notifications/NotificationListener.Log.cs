using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Notifications;

internal sealed partial class NotificationListener
{
    private static partial class Log
    {
        [LoggerMessage(12030, LogLevel.Debug, "Listening to {Server} on {Channels}")]
        public static partial void Listening(ILogger logger, string server, string channels);

        [LoggerMessage(12031, LogLevel.Warning, "Lost the notification connection to {Server}; reconnecting in {PauseMs} ms: {Reason}")]
        public static partial void Lost(ILogger logger, string server, double pauseMs, string reason);
    }
}
