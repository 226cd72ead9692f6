using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Execution.Remote;

public sealed partial class RemoteRunSettlement
{
    private static partial class Log
    {
        [LoggerMessage(8006, LogLevel.Warning, "Artifact {Name} of {Task} could not be copied to the host's store")]
        public static partial void ArtifactImportFailed(ILogger logger, Exception exception, string name, string task);

        [LoggerMessage(8010, LogLevel.Warning, "The container's success for {Task} is refused: {Reason}")]
        public static partial void ResultRefused(ILogger logger, string task, string reason);

        [LoggerMessage(8011, LogLevel.Warning, "Artifact {Name} of {Task} is not imported from the container: {Reason}")]
        public static partial void ArtifactRefused(ILogger logger, string name, string task, string reason);
    }
}
