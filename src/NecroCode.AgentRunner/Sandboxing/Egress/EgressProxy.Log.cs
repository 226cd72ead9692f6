using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Sandboxing.Egress;

internal sealed partial class EgressProxy
{
    private static partial class Log
    {
        [LoggerMessage(7511, LogLevel.Information, "The sandbox refused a connection to {Target}: not an allowed host")]
        public static partial void Refused(ILogger logger, string target);

        [LoggerMessage(7512, LogLevel.Debug, "The sandbox's proxy could not connect to {Target}: {Error}")]
        public static partial void ConnectFailed(ILogger logger, string target, string error);
    }
}
