using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner;

/// <summary>
/// One typed event of a run: the spine that feeds the run log, the registry, logs, metrics and live
/// progress. Serialized as one JSON object a line with a <c>type</c> discriminator.
/// </summary>
/// <remarks>
/// Producers create events with default envelope fields; the run's event channel stamps
/// <see cref="Sequence"/>, <see cref="Timestamp"/>, <see cref="RunnerId"/> and <see cref="TaskId"/>
/// and masks secrets before any subscriber sees them.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RunStarted), "run.started")]
[JsonDerivedType(typeof(StateChanged), "state.changed")]
[JsonDerivedType(typeof(StepStarted), "step.started")]
[JsonDerivedType(typeof(StepFinished), "step.finished")]
[JsonDerivedType(typeof(OutputLine), "output")]
[JsonDerivedType(typeof(OutputDropped), "output.dropped")]
[JsonDerivedType(typeof(RetryScheduled), "retry")]
[JsonDerivedType(typeof(ArtifactStored), "artifact.stored")]
[JsonDerivedType(typeof(RunWarning), "warning")]
[JsonDerivedType(typeof(SandboxApplied), "sandbox")]
[JsonDerivedType(typeof(RunFinished), "run.finished")]
public abstract record RunEvent
{
    /// <summary>Position of the event in its run, from 1, without gaps.</summary>
    public long Sequence { get; init; }

    /// <summary>When the event was published.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The runner that produced it.</summary>
    public string RunnerId { get; init; } = "";

    /// <summary>The task it belongs to.</summary>
    public string TaskId { get; init; } = "";
}

/// <summary>The run began.</summary>
/// <param name="SpecName">The task's spec.</param>
/// <param name="Title">The task's title.</param>
public sealed record RunStarted(string SpecName, string Title) : RunEvent;

/// <summary>The runner changed state.</summary>
/// <param name="From">The previous state.</param>
/// <param name="To">The new state.</param>
/// <param name="Reason">Why, when known.</param>
public sealed record StateChanged(RunnerState From, RunnerState To, string? Reason = null) : RunEvent;

/// <summary>A step began.</summary>
/// <param name="Step">The step's name.</param>
public sealed record StepStarted(string Step) : RunEvent;

/// <summary>A step ended.</summary>
/// <param name="Step">The step's name.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Message">A reason when it did not succeed.</param>
public sealed record StepFinished(string Step, StepOutcome Outcome, TimeSpan Duration, string? Message = null) : RunEvent;

/// <summary>One line printed by a process the run started (agent, tests, custom command).</summary>
/// <param name="Step">The step whose process printed it.</param>
/// <param name="Stream">Which stream it came from.</param>
/// <param name="Text">The line, without its line ending.</param>
public sealed record OutputLine(string Step, OutputSource Stream, string Text) : RunEvent;

/// <summary>
/// Live subscribers only: output lines that were not delivered to this subscriber because it fell behind
/// (the run log and the host's observers got them). Comes before the next event the subscriber does get and
/// carries the envelope of the last line it stands for.
/// </summary>
/// <param name="Step">The step whose output was dropped (the last one, when lines of several were).</param>
/// <param name="Lines">How many lines were dropped since the previous notice.</param>
public sealed record OutputDropped(string Step, long Lines) : RunEvent;

/// <summary>A failed operation will be retried.</summary>
/// <param name="Step">The step retrying.</param>
/// <param name="Operation">What is retried, e.g. <c>push</c>.</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="Delay">The wait before the next attempt.</param>
/// <param name="Error">Why the attempt failed.</param>
public sealed record RetryScheduled(string Step, string Operation, int Attempt, TimeSpan Delay, string Error) : RunEvent;

/// <summary>An artifact was stored, or kept locally after a failed upload.</summary>
/// <param name="Artifact">The artifact.</param>
public sealed record ArtifactStored(ArtifactRecord Artifact) : RunEvent;

/// <summary>Something worth attention that does not fail the run.</summary>
/// <param name="Step">The step it concerns, when any.</param>
/// <param name="Message">What happened.</param>
public sealed record RunWarning(string? Step, string Message) : RunEvent;

/// <summary>
/// How the processes of a step (the agent, the tests, a command) are confined. Published once a run for each step and
/// mechanism, when the step's first confined process has started, also when nothing confines them.
/// </summary>
/// <param name="Step">The step whose processes it concerns.</param>
/// <param name="Mechanism">
/// <c>landlock</c>, <c>bubblewrap</c>, or <c>none</c>: unconfined, because the sandbox is off or nothing can confine a process
/// inside the container the runner runs in (<paramref name="Note"/> says which).
/// </param>
/// <param name="Network">
/// <c>any</c>, <c>none</c>, or <c>hosts</c>: only the allowed hosts, through the runner's proxy (<paramref name="Note"/> lists them).
/// </param>
/// <param name="Note">What else is worth knowing: the allowed hosts, or why the processes are not confined.</param>
public sealed record SandboxApplied(string Step, string Mechanism, string Network, string? Note = null) : RunEvent;

/// <summary>The run ended.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record RunFinished(RunOutcome Outcome, TimeSpan Duration, string? Error = null) : RunEvent;
