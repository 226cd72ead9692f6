using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

internal sealed partial class RunEventChannel
{
    private static partial class Log
    {
        [LoggerMessage(1109, LogLevel.Error, "Writing the run log of runner {RunnerId} failed")]
        public static partial void RunLogWriteFailed(ILogger logger, string runnerId, Exception exception);
    }
}
