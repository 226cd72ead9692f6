using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Concurrency;

internal sealed partial class FleetRunLimiter
{
    private static partial class Log
    {
        [LoggerMessage(12070, LogLevel.Debug, "Took fleet-wide run permit {Permit} of {Limit} after {WaitedMs} ms")]
        public static partial void Taken(ILogger logger, int permit, int limit, double waitedMs);

        [LoggerMessage(12071, LogLevel.Information, "All {Limit} fleet-wide run permits are held; waiting for one")]
        public static partial void Waiting(ILogger logger, int limit);

        [LoggerMessage(12072, LogLevel.Debug, "Gave back fleet-wide run permit {Permit}")]
        public static partial void Released(ILogger logger, int permit);

        [LoggerMessage(12073, LogLevel.Warning, "Could not give back fleet-wide run permit {Permit}; it expires after its lease: {Reason}")]
        public static partial void ReleaseFailed(ILogger logger, int permit, string reason);
    }
}
