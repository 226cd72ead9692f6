using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.PostgreSql.Leases;

internal sealed partial class LeaseRenewer
{
    private static partial class Log
    {
        [LoggerMessage(12050, LogLevel.Warning, "The {Lease} expired before it was renewed (lease {LeaseSeconds} s): another holder may have it now")]
        public static partial void Lost(ILogger logger, string lease, double leaseSeconds);

        [LoggerMessage(12051, LogLevel.Warning, "Renewing this process's leases failed; trying again at the next tick: {Reason}")]
        public static partial void RenewalFailed(ILogger logger, string reason);
    }
}
