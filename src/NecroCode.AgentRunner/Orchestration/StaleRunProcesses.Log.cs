using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

internal static partial class StaleRunProcesses
{
    private static partial class Log
    {
        [LoggerMessage(6106, LogLevel.Warning, "Slot {SlotId}: stopped {Count} process(es) its dead holder's run left running")]
        public static partial void StaleProcessesStopped(ILogger logger, string slotId, int count);
    }
}
