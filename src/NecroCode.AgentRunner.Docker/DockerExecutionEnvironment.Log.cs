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

        [LoggerMessage(8007, LogLevel.Debug, "Container {ContainerId}: {Line}")]
        public static partial void ContainerStderr(ILogger logger, string containerId, string line);

        [LoggerMessage(8008, LogLevel.Warning, "Container {ContainerId} of {Task} was killed for running out of memory")]
        public static partial void OutOfMemory(ILogger logger, string containerId, string task);

        [LoggerMessage(8009, LogLevel.Information, "Container {ContainerId} of {Task} is stopped: the run was cancelled")]
        public static partial void ContainerCancelled(ILogger logger, string containerId, string task);

        [LoggerMessage(8014, LogLevel.Warning, "The sweep for containers left over by earlier runs of {RunnerId} failed; the next run tries again")]
        public static partial void SweepFailed(ILogger logger, Exception exception, string runnerId);

        [LoggerMessage(8012, LogLevel.Error, "The Docker engine failed while container {ContainerId} of {Task} ran")]
        public static partial void EngineFailedMidRun(ILogger logger, Exception exception, string containerId, string task);
    }
}
