using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Docker;

public sealed partial class DockerExecutionEnvironment
{
    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Information, "Container {ContainerId} of {Task} started from {Image} (job {Job})")]
        public static partial void ContainerStarted(ILogger logger, string containerId, string task, string image, string job);

        [LoggerMessage(8002, LogLevel.Information, "Container {ContainerId} of {Task} exited with code {ExitCode} after {ElapsedMs} ms")]
        public static partial void ContainerExited(ILogger logger, string containerId, string task, long exitCode, double elapsedMs);

        [LoggerMessage(8003, LogLevel.Warning, "Container {ContainerId} of {Task} ran past {Timeout} and is stopped")]
        public static partial void ContainerTimedOut(ILogger logger, string containerId, string task, TimeSpan timeout);

        [LoggerMessage(8004, LogLevel.Warning, "Removed container {ContainerId} left over by an earlier run of {RunnerId}")]
        public static partial void LeftoverRemoved(ILogger logger, string containerId, string runnerId);

        [LoggerMessage(8005, LogLevel.Error, "Container {ContainerId} could not be removed")]
        public static partial void RemoveFailed(ILogger logger, Exception exception, string containerId);

        [LoggerMessage(8006, LogLevel.Warning, "Artifact {Name} of {Task} could not be copied to the host's store")]
        public static partial void ArtifactImportFailed(ILogger logger, Exception exception, string name, string task);

        [LoggerMessage(8007, LogLevel.Debug, "Container {ContainerId}: {Line}")]
        public static partial void ContainerStderr(ILogger logger, string containerId, string line);

        [LoggerMessage(8008, LogLevel.Warning, "Container {ContainerId} of {Task} was killed for running out of memory")]
        public static partial void OutOfMemory(ILogger logger, string containerId, string task);

        [LoggerMessage(8009, LogLevel.Information, "Container {ContainerId} of {Task} is stopped: the run was cancelled")]
        public static partial void ContainerCancelled(ILogger logger, string containerId, string task);

        [LoggerMessage(8012, LogLevel.Error, "The Docker engine failed while container {ContainerId} of {Task} ran")]
        public static partial void EngineFailedMidRun(ILogger logger, Exception exception, string containerId, string task);

        [LoggerMessage(8010, LogLevel.Warning, "The container's success for {Task} is refused: {Reason}")]
        public static partial void ResultRefused(ILogger logger, string task, string reason);

        [LoggerMessage(8013, LogLevel.Critical, "The host cannot authenticate to the remote {Remote} to check pushes: every container's success is refused until its token is fixed. {Error}")]
        public static partial void HostAuthenticationFailed(ILogger logger, string remote, string error);

        [LoggerMessage(8011, LogLevel.Warning, "Artifact {Name} of {Task} is not imported from the container: {Reason}")]
        public static partial void ArtifactRefused(ILogger logger, string name, string task, string reason);
    }
}
