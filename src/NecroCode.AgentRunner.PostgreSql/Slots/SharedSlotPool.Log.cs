using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Slots;

internal sealed partial class SharedSlotPool
{
    private static partial class Log
    {
        [LoggerMessage(12080, LogLevel.Debug, "Recorded slot {SlotId} on {MachineId} as held by runner {RunnerId}")]
        public static partial void Recorded(ILogger logger, string slotId, string machineId, string runnerId);

        [LoggerMessage(12081, LogLevel.Warning, "Could not delete the record of slot {SlotId} on {MachineId}; it lapses after its lease: {Reason}")]
        public static partial void ForgetFailed(ILogger logger, string slotId, string machineId, string reason);
    }
}
