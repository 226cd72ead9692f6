using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// Writes each run event to the runner's log as one message. An event's optional part (a step's message, a
/// transition's reason, a run's error, an artifact's location) has a template of its own, so that a message
/// never ends in a placeholder rendered as <c>(null)</c>.
/// </summary>
internal static partial class RunEventLog
{
    public static void Write(ILogger logger, RunEvent runEvent)
    {
        switch (runEvent)
        {
            case StepStarted e:
                StepStarted(logger, e.Step, e.TaskId, e.RunnerId);
                break;
            case StepFinished { Message: { Length: > 0 } message } e:
                StepFinishedWithMessage(logger, e.Step, e.TaskId, e.Outcome, e.Duration.TotalMilliseconds, message);
                break;
            case StepFinished e:
                StepFinished(logger, e.Step, e.TaskId, e.Outcome, e.Duration.TotalMilliseconds);
                break;
            case StateChanged { Reason: { Length: > 0 } reason } e:
                StateChangedWithReason(logger, e.RunnerId, e.From, e.To, reason);
                break;
            case StateChanged e:
                StateChanged(logger, e.RunnerId, e.From, e.To);
                break;
            case RetryScheduled e:
                Retry(logger, e.Step, e.Operation, e.Attempt, e.Delay.TotalMilliseconds, e.Error);
                Telemetry.AgentRunnerTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("step", e.Step), new KeyValuePair<string, object?>("operation", e.Operation));
                break;
            case RunWarning { Step: { Length: > 0 } step } e:
                StepWarning(logger, step, e.Message);
                break;
            case RunWarning e:
                Warning(logger, e.Message);
                break;
            case SandboxApplied { Note: { Length: > 0 } note } e:
                SandboxWithNote(logger, e.Step, e.Mechanism, e.Network, note);
                break;
            case SandboxApplied e:
                Sandbox(logger, e.Step, e.Mechanism, e.Network);
                break;
            case OutputLine e:
                Output(logger, e.Step, e.Stream, e.Text);
                break;
            case ArtifactStored e when (e.Artifact.Uri?.ToString() ?? e.Artifact.LocalPath) is { Length: > 0 } location:
                ArtifactStoredAt(logger, e.Artifact.Name, location);
                break;
            case ArtifactStored e:
                ArtifactStored(logger, e.Artifact.Name);
                break;
            case RunFinished { Error: { Length: > 0 } error } e:
                RunFinishedWithError(logger, e.TaskId, e.Outcome, e.Duration.TotalSeconds, error);
                break;
            case RunFinished e:
                RunFinished(logger, e.TaskId, e.Outcome, e.Duration.TotalSeconds);
                break;
            default:
                break;
        }
    }

    [LoggerMessage(1101, LogLevel.Information, "Step {Step} of task {TaskId} started (runner {RunnerId})")]
    private static partial void StepStarted(ILogger logger, string step, string taskId, string runnerId);

    [LoggerMessage(1102, LogLevel.Information, "Step {Step} of task {TaskId} {Outcome} in {ElapsedMs} ms")]
    private static partial void StepFinished(ILogger logger, string step, string taskId, StepOutcome outcome, double elapsedMs);

    [LoggerMessage(1111, LogLevel.Information, "Step {Step} of task {TaskId} {Outcome} in {ElapsedMs} ms: {Message}")]
    private static partial void StepFinishedWithMessage(ILogger logger, string step, string taskId, StepOutcome outcome, double elapsedMs, string message);

    [LoggerMessage(1103, LogLevel.Information, "Runner {RunnerId} moved from {From} to {To}")]
    private static partial void StateChanged(ILogger logger, string runnerId, RunnerState from, RunnerState to);

    [LoggerMessage(1112, LogLevel.Information, "Runner {RunnerId} moved from {From} to {To}: {Reason}")]
    private static partial void StateChangedWithReason(ILogger logger, string runnerId, RunnerState from, RunnerState to, string reason);

    [LoggerMessage(1104, LogLevel.Warning, "Step {Step}: {Operation} attempt {Attempt} failed, retrying in {DelayMs} ms: {Error}")]
    private static partial void Retry(ILogger logger, string step, string operation, int attempt, double delayMs, string error);

    [LoggerMessage(1105, LogLevel.Warning, "Step {Step}: {Message}")]
    private static partial void StepWarning(ILogger logger, string step, string message);

    [LoggerMessage(1113, LogLevel.Warning, "{Message}")]
    private static partial void Warning(ILogger logger, string message);

    [LoggerMessage(1116, LogLevel.Information, "Step {Step}: sandbox {Mechanism}, network {Network}")]
    private static partial void Sandbox(ILogger logger, string step, string mechanism, string network);

    [LoggerMessage(1117, LogLevel.Information, "Step {Step}: sandbox {Mechanism}, network {Network}: {Note}")]
    private static partial void SandboxWithNote(ILogger logger, string step, string mechanism, string network, string note);

    /// <summary>Whether <paramref name="logger"/> writes output lines (they are logged at debug level).</summary>
    public static bool LogsOutput(ILogger logger) => logger.IsEnabled(LogLevel.Debug);

    [LoggerMessage(1106, LogLevel.Debug, "[{Step}] {Stream}: {Text}")]
    private static partial void Output(ILogger logger, string step, OutputSource stream, string text);

    [LoggerMessage(1107, LogLevel.Information, "Artifact {Name} stored at {Location}")]
    private static partial void ArtifactStoredAt(ILogger logger, string name, string location);

    [LoggerMessage(1114, LogLevel.Information, "Artifact {Name} stored")]
    private static partial void ArtifactStored(ILogger logger, string name);

    [LoggerMessage(1108, LogLevel.Information, "Task {TaskId} finished: {Outcome} in {ElapsedSeconds} s")]
    private static partial void RunFinished(ILogger logger, string taskId, RunOutcome outcome, double elapsedSeconds);

    [LoggerMessage(1115, LogLevel.Information, "Task {TaskId} finished: {Outcome} in {ElapsedSeconds} s: {Error}")]
    private static partial void RunFinishedWithError(ILogger logger, string taskId, RunOutcome outcome, double elapsedSeconds, string error);
}
