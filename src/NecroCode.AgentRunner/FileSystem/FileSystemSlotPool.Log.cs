using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemSlotPool
{
    private static partial class Log
    {
        [LoggerMessage(6100, LogLevel.Debug, "Slot {SlotId} leased to runner {RunnerId} for {Task} after {ElapsedMs} ms")]
        public static partial void SlotAcquired(ILogger logger, string slotId, string runnerId, string task, double elapsedMs);

        [LoggerMessage(6101, LogLevel.Debug, "Slot {SlotId} released by runner {RunnerId}")]
        public static partial void SlotReleased(ILogger logger, string slotId, string runnerId);

        [LoggerMessage(6102, LogLevel.Debug, "Release of slot {SlotId} with lease {LeaseId} ignored: not its current lease")]
        public static partial void ReleaseIgnored(ILogger logger, string slotId, string leaseId);

        [LoggerMessage(6103, LogLevel.Warning, "Slot {SlotId} reclaimed from runner {RunnerId}: its process ({Holder}) is gone")]
        public static partial void StaleLeaseReclaimed(ILogger logger, string slotId, string runnerId, string holder);

        [LoggerMessage(6104, LogLevel.Error, "The lease file {Path} is corrupt; its slot stays out of rotation until the file is removed")]
        public static partial void CorruptLease(ILogger logger, string path);

        [LoggerMessage(6105, LogLevel.Warning, "Slot {SlotId} quarantined ({Reason}); moved to {Path}")]
        public static partial void SlotQuarantined(ILogger logger, string slotId, string reason, string path);

        [LoggerMessage(6108, LogLevel.Information, "Slot {SlotId} added to the pool {Path} ({Count} of at most {PoolSize}); the workspace provider initialises it")]
        public static partial void SlotAdded(ILogger logger, string slotId, string path, int count, int poolSize);

        [LoggerMessage(6107, LogLevel.Warning, "The lease of slot {SlotId} held by runner {RunnerId} was broken by an operator")]
        public static partial void LeaseBroken(ILogger logger, string slotId, string runnerId);

        [LoggerMessage(6340, LogLevel.Warning, "Quarantine of slot {SlotId} with lease {LeaseId} ignored: not its current lease")]
        public static partial void QuarantineIgnored(ILogger logger, string slotId, string leaseId);
    }
}
