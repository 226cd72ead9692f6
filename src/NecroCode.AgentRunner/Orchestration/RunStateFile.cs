using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>Writes the runner's state to the state file (when one is set), atomically, at every transition.</summary>
internal sealed partial class RunStateFile(IOptions<AgentRunnerOptions> options, ILogger<RunStateFile> logger)
{
    /// <summary>Writes <paramref name="transition"/> of the run of <paramref name="task"/>; a failed write is logged.</summary>
    /// <param name="runnerId">The runner.</param>
    /// <param name="task">The task.</param>
    /// <param name="transition">The transition.</param>
    public void Write(string runnerId, TaskContext task, StateTransition transition)
    {
        if (options.Value.StateFile is not { } file)
        {
            return;
        }

        var document = new RunnerStateDocument(runnerId, task.SpecName, task.TaskId, transition.To, transition.At, transition.Reason);
        try
        {
            AtomicFile.Write(Path.GetFullPath(file), JsonSerializer.SerializeToUtf8Bytes(document, OrchestrationJsonContext.Default.RunnerStateDocument));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.StateFileFailed(logger, file, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1006, LogLevel.Warning, "The state file {Path} could not be written")]
        public static partial void StateFileFailed(ILogger logger, string path, Exception exception);
    }
}
