using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemTaskRegistry
{
    private static partial class Log
    {
        [LoggerMessage(6000, LogLevel.Debug, "Registered runner {RunnerId} for {Task} in {Path}")]
        public static partial void RunnerRegistered(ILogger logger, string runnerId, string task, string path);

        [LoggerMessage(6001, LogLevel.Debug, "Unregistered runner {RunnerId}")]
        public static partial void RunnerUnregistered(ILogger logger, string runnerId);

        [LoggerMessage(6002, LogLevel.Debug, "Task {Task} is {State} with {ArtifactCount} artifacts")]
        public static partial void TaskUpdated(ILogger logger, string task, TaskState state, int artifactCount);

        [LoggerMessage(6003, LogLevel.Debug, "Appended {Type} to the event log of {Task}")]
        public static partial void EventAppended(ILogger logger, string task, string type);

        [LoggerMessage(6004, LogLevel.Information, "Waited {ElapsedMs} ms for the registry lock {Path}")]
        public static partial void SlowLock(ILogger logger, string path, double elapsedMs);

        [LoggerMessage(6300, LogLevel.Debug, "Runner {RunnerId} claimed task {Task}")]
        public static partial void TaskClaimed(ILogger logger, string task, string runnerId);

        [LoggerMessage(6301, LogLevel.Information, "Runner {RunnerId} did not get task {Task}: runner {HeldBy} is running it")]
        public static partial void ClaimRefused(ILogger logger, string task, string runnerId, string heldBy);

        [LoggerMessage(6302, LogLevel.Warning, "Runner {RunnerId} took over task {Task} from runner {HeldBy}: {Reason}")]
        public static partial void TaskTakenOver(ILogger logger, string task, string runnerId, string heldBy, string reason);

        [LoggerMessage(6304, LogLevel.Warning, "Refused a write of runner {RunnerId} about task {Task}: {Reason}")]
        public static partial void WriteRefused(ILogger logger, string task, string runnerId, string reason);

        [LoggerMessage(6303, LogLevel.Information, "Branch {Branch} now belongs to task {Task} (claimed by runner {RunnerId})")]
        public static partial void BranchClaimed(ILogger logger, string branch, string task, string runnerId);
    }
}
