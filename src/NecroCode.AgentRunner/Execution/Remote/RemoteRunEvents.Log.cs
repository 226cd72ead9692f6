using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Execution.Remote;

internal sealed partial class RemoteRunEvents
{
    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Error, "Run event observer {Observer} failed")]
        public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);
    }
}
