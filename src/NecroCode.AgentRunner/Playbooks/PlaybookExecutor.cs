namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// The run loop of a playbook: walks the steps in order, decides each one against the
/// <see cref="ConditionContext"/> (condition, else steps, skip after a failure, <c>always</c>), runs it through
/// the caller's delegate and records its outcome, honouring <see cref="PlaybookStep.ContinueOnError"/>.
/// </summary>
/// <remarks>
/// The caller owns what a step does (built-in or command), its events and its result record; the executor owns
/// the order and the decisions. It has no state of its own and can be shared.
/// </remarks>
internal static class PlaybookExecutor
{
    /// <summary>Runs the steps of <paramref name="playbook"/>.</summary>
    /// <param name="playbook">The resolved playbook.</param>
    /// <param name="context">What conditions see; updated with every step's outcome.</param>
    /// <param name="runStep">Runs one step (built-in or command) and returns how it ended.</param>
    /// <param name="notRun">
    /// Told of every step that is not run, with its outcome and the reason: <see cref="StepOutcome.Skipped"/> (condition
    /// false, an earlier failure, cancellation) or <see cref="StepOutcome.Failed"/> (its condition could not be
    /// evaluated, e.g. <c>exists()</c> of a path leading out of the workspace; this fails the run unless the step may
    /// continue on error). May be null.
    /// </param>
    /// <param name="cancellationToken">
    /// Cancels the run: it is passed to <paramref name="runStep"/>, and once it is cancelled every further step is
    /// skipped and the run marked failed, except <see cref="PlaybookStep.Always"/> steps, which are still offered to
    /// <paramref name="runStep"/> (run them with a clean-up token of your own, as the built-in pipeline does).
    /// </param>
    /// <returns>A task that completes when every step has run or been skipped.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="notRun"/> is null.</exception>
    public static Task RunAsync(
        Playbook playbook,
        ConditionContext context,
        Func<PlaybookStep, CancellationToken, Task<StepOutcome>> runStep,
        Action<PlaybookStep, StepOutcome, string>? notRun,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(runStep);
        return RunStepsAsync(playbook.Steps, new Loop(context, runStep, notRun ?? ((_, _, _) => { })), cancellationToken);
    }

    private static async Task RunStepsAsync(IReadOnlyList<PlaybookStep> steps, Loop loop, CancellationToken cancellationToken)
    {
        var context = loop.Context;
        foreach (var step in steps)
        {
            if (cancellationToken.IsCancellationRequested && !step.Always)
            {
                context.MarkFailed();
                loop.Skip(step, "the run was cancelled.");
                continue;
            }

            var failedBefore = context.HasFailed;
            StepDecision decision;
            try
            {
                decision = step.Decide(context);
            }
            catch (PlaybookException ex)
            {
                context.RecordOutcome(step.Name, StepOutcome.Failed, step.ContinueOnError);
                loop.NotRun(step, StepOutcome.Failed, ex.Errors[0].ToString());
                continue;
            }

            switch (decision)
            {
                case StepDecision.Run:
                    var outcome = await loop.RunStep(step, cancellationToken).ConfigureAwait(false);
                    context.RecordOutcome(step.Name, outcome, step.ContinueOnError);
                    break;
                case StepDecision.RunElse:
                    loop.Skip(step, $"its condition '{step.If}' is false; running its else steps.");
                    await RunStepsAsync(step.Else, loop, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    loop.Skip(step, failedBefore && step.If is not { UsesStatusFunction: true } && !step.Always
                        ? "an earlier step failed."
                        : $"its condition '{step.If}' is false.");
                    break;
            }
        }
    }

    private sealed record Loop(
        ConditionContext Context,
        Func<PlaybookStep, CancellationToken, Task<StepOutcome>> RunStep,
        Action<PlaybookStep, StepOutcome, string> NotRun)
    {
        public void Skip(PlaybookStep step, string reason)
        {
            Context.RecordOutcome(step.Name, StepOutcome.Skipped);
            NotRun(step, StepOutcome.Skipped, reason);
        }
    }
}
