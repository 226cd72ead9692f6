namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>How a step ended, as data: its outcome and, when it failed the run, why.</summary>
/// <param name="Outcome">The step's outcome.</param>
/// <param name="Failure">The failure it records for the run; null when it records none (it succeeded, was skipped, or a nested step already recorded it).</param>
internal sealed record StepVerdict(StepOutcome Outcome, StepFailure? Failure = null)
{
    /// <summary>The step did its work.</summary>
    public static StepVerdict Succeeded { get; } = new(StepOutcome.Succeeded);

    /// <summary>The step had nothing to do (or its effect already happened in the run being resumed).</summary>
    public static StepVerdict Skipped { get; } = new(StepOutcome.Skipped);

    /// <summary>The step failed and the run fails with <paramref name="outcome"/>.</summary>
    /// <param name="outcome">The run's outcome.</param>
    /// <param name="step">The step the failure is recorded under; null for the name the step runs under (a playbook may rename it).</param>
    /// <param name="message">What went wrong (masked when it is recorded).</param>
    /// <param name="exception">The exception it stands for, if any: its type is recorded in the run's error.</param>
    /// <param name="always">Fails the run even inside a continue-on-error step: a safety rule was broken.</param>
    /// <returns>The verdict.</returns>
    public static StepVerdict Fail(RunOutcome outcome, string? step, string message, Exception? exception = null, bool always = false) =>
        new(outcome == RunOutcome.TimedOut ? StepOutcome.TimedOut : StepOutcome.Failed, new StepFailure(outcome, step, message, exception, always));

    /// <summary>A built-in step whose prerequisite did not run (e.g. it was skipped by its condition) fails with a clear reason.</summary>
    /// <param name="step">The step.</param>
    /// <param name="prerequisite">The step it needs.</param>
    /// <returns>The verdict.</returns>
    public static StepVerdict MissingPrerequisite(string step, string prerequisite) =>
        Fail(RunOutcome.StepFailed, step, $"Step {step} needs step {prerequisite} to have run first in this run, and it has not.");
}

/// <summary>Why a step failed the run.</summary>
/// <param name="Outcome">The run's outcome.</param>
/// <param name="Step">The step it is recorded under; null for the name the step runs under.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Exception">The exception it stands for, if any.</param>
/// <param name="Always">Fails the run even inside a continue-on-error step.</param>
internal sealed record StepFailure(RunOutcome Outcome, string? Step, string Message, Exception? Exception = null, bool Always = false);
