using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Playbooks;

internal sealed partial class CommandStepRunner
{
    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Information, "Command step {Step} succeeded after {Attempts} attempt(s)")]
        public static partial void Succeeded(ILogger logger, string step, int attempts);

        [LoggerMessage(7002, LogLevel.Warning, "Command step {Step} failed after {Attempts} attempt(s): {Message}")]
        public static partial void Failed(ILogger logger, string step, int attempts, string message);

        [LoggerMessage(7003, LogLevel.Warning, "Command step {Step}: attempt {Attempt} failed, retrying in {DelayMs} ms: {Error}")]
        public static partial void Retrying(ILogger logger, string step, int attempt, double delayMs, string error);

        [LoggerMessage(7004, LogLevel.Warning, "Command step {Step} not run: {Problem}")]
        public static partial void DirectoryRefused(ILogger logger, string step, string problem);
    }
}
