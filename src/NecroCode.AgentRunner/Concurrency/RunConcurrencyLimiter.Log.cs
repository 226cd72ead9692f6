using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Concurrency;

internal sealed partial class RunConcurrencyLimiter
{
    private static partial class Log
    {
        [LoggerMessage(6400, LogLevel.Debug, "Took run slot {Index} of {MaxParallelRuns} after {ElapsedMs} ms")]
        public static partial void PermitTaken(ILogger logger, int index, int maxParallelRuns, double elapsedMs);

        [LoggerMessage(6401, LogLevel.Debug, "Released run slot {Index}")]
        public static partial void PermitReleased(ILogger logger, int index);

        [LoggerMessage(6402, LogLevel.Information, "All {MaxParallelRuns} run slots in {Folder} are taken; waiting")]
        public static partial void Waiting(ILogger logger, int maxParallelRuns, string folder);
    }
}
