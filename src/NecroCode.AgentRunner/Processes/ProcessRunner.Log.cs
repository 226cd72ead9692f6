using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Processes;

internal sealed partial class ProcessRunner
{
    private static partial class Log
    {
        [LoggerMessage(4000, LogLevel.Debug, "Step {Step} started {Program} as process {ProcessId}")]
        public static partial void Started(ILogger logger, string step, string program, int processId);

        [LoggerMessage(4001, LogLevel.Debug, "Step {Step}: process {ProcessId} ended ({ExitStatus}, {Reason}) after {ElapsedMs} ms")]
        public static partial void Finished(ILogger logger, string step, int processId, string exitStatus, ProcessStopReason reason, double elapsedMs);

        [LoggerMessage(4002, LogLevel.Warning, "Step {Step}: stopping the process tree of {ProcessId}: {Reason}")]
        public static partial void Stopping(ILogger logger, string step, int processId, string reason);

        [LoggerMessage(4003, LogLevel.Warning, "Step {Step}: {Count} processes of {ProcessId} were still running after it exited; stopping them")]
        public static partial void Leftovers(ILogger logger, string step, int processId, int count);

        [LoggerMessage(4004, LogLevel.Warning, "Step {Step}: {Signal} did not end the process tree of {ProcessId} within the grace period")]
        public static partial void GraceExpired(ILogger logger, string step, int processId, string signal);

        [LoggerMessage(4005, LogLevel.Error, "Step {Step}: {Count} processes of {ProcessId} survived SIGKILL")]
        public static partial void Survivors(ILogger logger, string step, int processId, int count);

        [LoggerMessage(4006, LogLevel.Warning, "Step {Step}: {Message}")]
        public static partial void LimitWarning(ILogger logger, string step, string message);

        [LoggerMessage(4007, LogLevel.Warning, "Step {Step}: the output of process {ProcessId} did not close after its tree ended; not waiting for it")]
        public static partial void OutputNotClosed(ILogger logger, string step, int processId);

        [LoggerMessage(4008, LogLevel.Warning, "An event sink failed; the output of this process is no longer published")]
        public static partial void SinkFailed(ILogger logger, Exception exception);

        [LoggerMessage(4009, LogLevel.Warning, "Session wrapper '{Wrapper}' not found; children share the runner's process group and are tracked through their environment only")]
        public static partial void SessionWrapperMissing(ILogger logger, string? wrapper);

        [LoggerMessage(4020, LogLevel.Information, "Step {Step}: asking process {ProcessId} to wrap up (signal {Signal})")]
        public static partial void WrappingUp(ILogger logger, string step, int processId, int signal);

        [LoggerMessage(4011, LogLevel.Information, "Step {Step}: sandbox none: {Why}")]
        public static partial void Unconfined(ILogger logger, string step, string why);

        [LoggerMessage(4010, LogLevel.Information, "Step {Step}: sandbox {Mechanism}; writes confined to {Folder}, a private temporary folder and {Extra} extra path(s); {Hidden} path(s) of the runner's state and secrets hidden; network {Network}")]
        public static partial void Sandboxed(ILogger logger, string step, string mechanism, string folder, int extra, int hidden, string network);
    }
}
