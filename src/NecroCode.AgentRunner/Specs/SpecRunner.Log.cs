using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Specs;

internal sealed partial class SpecRunner
{
    internal static partial class Log
    {
        [LoggerMessage(1901, LogLevel.Information, "Spec {Spec}: {Count} task(s) to run, {Parallel} at once")]
        public static partial void SpecStarted(ILogger logger, string spec, int count, int parallel);

        [LoggerMessage(1902, LogLevel.Information, "Spec {Spec}: {Succeeded} task(s) done, {Failed} failed or blocked")]
        public static partial void SpecFinished(ILogger logger, string spec, int succeeded, int failed);

        [LoggerMessage(1903, LogLevel.Information, "Spec {Spec}: task {TaskId} starts on {Branch} from {BaseBranch}")]
        public static partial void TaskStarted(ILogger logger, string spec, string taskId, string branch, string baseBranch);

        [LoggerMessage(1904, LogLevel.Information, "Spec {Spec}: task {TaskId} ended {Outcome}")]
        public static partial void TaskFinished(ILogger logger, string spec, string taskId, SpecTaskOutcome outcome);

        [LoggerMessage(1905, LogLevel.Warning, "Spec {Spec}: task {TaskId} could not be marked {Status} in {Path}: {Reason}")]
        public static partial void TickFailed(ILogger logger, string spec, string taskId, SpecTaskStatus status, string path, string reason);

        [LoggerMessage(1906, LogLevel.Warning, "Spec {Spec}: task {TaskId} is no longer in {Path}; its checkbox was left alone")]
        public static partial void TaskGoneFromFile(ILogger logger, string spec, string taskId, string path);

        [LoggerMessage(1907, LogLevel.Warning, "Spec {Spec}: the resume record {Path} could not be written after task {TaskId}: {Reason}")]
        public static partial void RecordFailed(ILogger logger, string spec, string taskId, string path, string reason);
    }
}
