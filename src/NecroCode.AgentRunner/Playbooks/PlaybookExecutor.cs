namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// The run loop of a playbook (R13.2, R13.4): walks the steps in order, decides each one against the
/// <see cref="ConditionContext"/> (condition, else steps, skip after a failure, <c>always</c>), runs it through
/// the caller's delegate and records its outcome, honouring <see cref="PlaybookStep.ContinueOnError"/>.
/// </summary>
/// <remarks>
/// The caller owns what a step does (built-in or command), its events and its result record; the executor owns
/// the order and the decisions. It has no state of its own and can be shared.
/// </remarks>
public static class PlaybookExecutor
{
    /// <summary>Runs the steps of <paramref name="playbook"/>.</summary>
    /// <param name="playbook">The resolved playbook.</param>
    /// <param name="context">What conditions see; updated with every step's outcome.</param>
    /// <param name="runStep">Runs one step (built-in or command) and returns how it ended.</param>
    /// <param name="skipStep">Told of every step that does not run, with the reason; may be null.</param>
    /// <param name="cancellationToken">
    /// Cancels the run: it is passed to <paramref name="runStep"/>, and once it is cancelled every further step is
    /// skipped and the run marked failed, except <see cref="PlaybookStep.Always"/> steps, which are still offered to
    /// <paramref name="runStep"/> (run them with a clean-up token of your own, as the built-in pipeline does).
    /// </param>
    /// <returns>A task that completes when every step has run or been skipped.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="skipStep"/> is null.</exception>
    /// <exception cref="PlaybookException">A condition could not be evaluated.</exception>
    public static Task RunAsync(
        Playbook playbook,
        ConditionContext context,
        Func<PlaybookStep, CancellationToken, Task<StepOutcome>> runStep,
        Action<PlaybookStep, string>? skipStep,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(runStep);
        return RunStepsAsync(playbook.Steps, context, runStep, skipStep, cancellationToken);
    }

    private static async Task RunStepsAsync(
        IReadOnlyList<PlaybookStep> steps,
        ConditionContext context,
        Func<PlaybookStep, CancellationToken, Task<StepOutcome>> runStep,
        Action<PlaybookStep, string>? skipStep,
        CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            if (cancellationToken.IsCancellationRequested && !step.Always)
            {
                context.MarkFailed();
                context.RecordOutcome(step.Name, StepOutcome.Skipped);
                skipStep?.Invoke(step, "the run was cancelled.");
                continue;
            }

            var failedBefore = context.HasFailed;
            switch (step.Decide(context))
            {
                case StepDecision.Run:
                    var outcome = await runStep(step, cancellationToken).ConfigureAwait(false);
                    context.RecordOutcome(step.Name, outcome, step.ContinueOnError);
                    break;
                case StepDecision.RunElse:
                    context.RecordOutcome(step.Name, StepOutcome.Skipped);
                    skipStep?.Invoke(step, $"its condition '{step.If}' is false; running its else steps.");
                    await RunStepsAsync(step.Else, context, runStep, skipStep, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    context.RecordOutcome(step.Name, StepOutcome.Skipped);
                    skipStep?.Invoke(step, failedBefore && step.If is not { UsesStatusFunction: true } && !step.Always
                        ? "an earlier step failed."
                        : $"its condition '{step.If}' is false.");
                    break;
            }
        }
    }
}
