using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Execution.Remote;

public sealed partial class RemotePushVerifier
{
    private static partial class Log
    {
        [LoggerMessage(8013, LogLevel.Critical, "The host cannot authenticate to the remote {Remote} to check pushes: every container's success is refused until its token is fixed. {Error}")]
        public static partial void HostAuthenticationFailed(ILogger logger, string remote, string error);
    }
}
