using System.Globalization;

namespace NecroCode.AgentRunner.Cli;

/// <summary>
/// Shows a run's progress as plain lines: steps as they start and end (with elapsed time), retries,
/// warnings and the processes' output. Every event it sees is already masked.
/// </summary>
internal sealed class ProgressObserver(TextWriter writer, bool showTask = false) : IRunEventObserver
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _start;

    public void OnEvent(RunEvent runEvent)
    {
        var line = Format(runEvent);
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _start ??= runEvent.Timestamp;
            var elapsed = (runEvent.Timestamp - _start.Value).TotalSeconds;
            var task = showTask ? runEvent.TaskId + " " : "";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{elapsed,7:0.0}s] {task}{line}"));
            writer.Flush();
        }
    }

    private static string? Format(RunEvent runEvent) => runEvent switch
    {
        RunStarted e => $"task {e.TaskId} ({e.SpecName}): {e.Title}",
        StepStarted e => $"> {e.Step}",
        StepFinished e => $"{Mark(e.Outcome)} {e.Step} ({e.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s){(e.Message is null ? "" : ": " + e.Message)}",
        OutputLine e => $"  | {e.Text}",
        RetryScheduled e => $"  retry {e.Operation} (attempt {e.Attempt} failed, next in {e.Delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s): {e.Error}",
        RunWarning e => $"  warning: {e.Message}",
        SandboxApplied e => $"  sandbox: {e.Mechanism}, network {e.Network}{(e.Note is null ? "" : " (" + e.Note + ")")}",
        ArtifactStored e => $"  artifact {e.Artifact.Name}: {e.Artifact.Uri?.ToString() ?? "kept at " + e.Artifact.LocalPath}",
        RunFinished e => $"finished: {e.Outcome}",
        _ => null,
    };

    private static string Mark(StepOutcome outcome) => outcome switch
    {
        StepOutcome.Succeeded => "ok",
        StepOutcome.Skipped => "skip",
        StepOutcome.TimedOut => "TIMEOUT",
        StepOutcome.Cancelled => "CANCELLED",
        _ => "FAIL",
    };
}
