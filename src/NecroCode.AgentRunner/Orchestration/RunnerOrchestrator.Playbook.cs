using NecroCode.AgentRunner.Playbooks;

using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

public sealed partial class RunnerOrchestrator
{
    /// <summary>
    /// Runs the run's playbook (the built-in pipeline unless the task or the options name another):
    /// built-in steps through the pipeline, command steps through <see cref="CommandStepRunner"/>, with
    /// conditions, else steps, continue-on-error, step timeouts and always-steps. Whatever the playbook
    /// says, the task is reported and the slot released before the run ends.
    /// </summary>
    private async Task RunPlaybookAsync(RunContext context, CancellationToken runToken, CancellationToken hostToken, CancellationToken taskTimeoutToken)
    {
        var conditions = new ConditionContext(context.Task, context.Playbook.Variables);
        if (context.Failed)
        {
            conditions.MarkFailed();
        }

        await PlaybookExecutor.RunAsync(
            context.Playbook,
            conditions,
            async (step, token) =>
            {
                var outcome = await RunPlaybookStepAsync(context, step, token, hostToken, taskTimeoutToken).ConfigureAwait(false);
                if (step.Uses == Steps.PrepareWorkspace && context.Workspace is { } workspace)
                {
                    conditions.WorkspacePath = workspace.Path;
                }

                return outcome;
            },
            (step, outcome, reason) =>
            {
                context.Steps.Add(new StepResult(step.Name, outcome, TimeSpan.Zero, _masker.Apply(reason)));
                if (outcome == StepOutcome.Failed && !step.ContinueOnError)
                {
                    Fail(context, RunOutcome.StepFailed, step.Name, reason);
                }
            },
            runToken).ConfigureAwait(false);

        // A custom playbook may leave out the closing steps; the invariants hold all the same.
        using var cleanup = new CancellationTokenSource(CleanupTimeout, _time);
        if (context.Claimed && !context.Reported)
        {
            await RunStepAsync(context, _builtIns[Steps.Report], cleanup.Token, CancellationToken.None, CancellationToken.None).ConfigureAwait(false);
        }

        if ((context.Lease is not null && !context.Released) || (context.Registered && !context.Unregistered))
        {
            await RunStepAsync(context, _builtIns[Steps.ReleaseSlot], cleanup.Token, CancellationToken.None, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<StepOutcome> RunPlaybookStepAsync(RunContext context, PlaybookStep step, CancellationToken runToken, CancellationToken hostToken, CancellationToken taskTimeoutToken)
    {
        using var stepTokens = step.Always
            ? new CancellationTokenSource(CleanupTimeout, _time)
            : CancellationTokenSource.CreateLinkedTokenSource(runToken);
        // A command step's timeout limits each attempt (CommandStepRunner enforces it), so that its retries
        // still run; a built-in step has no retries and its timeout limits the whole step.
        if (step.Timeout is { } limit && step.IsBuiltIn)
        {
            stepTokens.CancelAfter(limit);
        }

        var pipelineStep = step.Uses is { } uses
            ? _builtIns[uses] with { Name = step.Name }
            : new PipelineStep(step.Name, step.Always, (ctx, token) => RunCommandStepAsync(ctx, step, token));
        context.ContinueOnError = step.ContinueOnError;
        try
        {
            return await RunStepAsync(
                context,
                pipelineStep,
                stepTokens.Token,
                step.Always ? CancellationToken.None : hostToken,
                step.Always ? CancellationToken.None : taskTimeoutToken,
                step.Timeout).ConfigureAwait(false);
        }
        finally
        {
            context.ContinueOnError = false;
        }
    }

    private async Task<StepOutcome> RunCommandStepAsync(RunContext context, PlaybookStep step, CancellationToken cancellationToken)
    {
        if ((context.Workspace?.Path ?? context.Lease?.Path) is not { } workspace)
        {
            Fail(context, RunOutcome.StepFailed, step.Name, $"Step {step.Name} runs a command, but no workspace exists in this run (step {Steps.PrepareWorkspace} has not run).");
            return StepOutcome.Failed;
        }

        var result = await _commands.RunAsync(
            step,
            new CommandStepRequest { WorkspacePath = workspace, Events = context.Events, InheritEnvironment = true, Environment = _credentials.HiddenEnvironment(context.Secrets) },
            cancellationToken).ConfigureAwait(false);
        if (result.Outcome != StepOutcome.Succeeded)
        {
            var outcome = result.Outcome == StepOutcome.TimedOut ? RunOutcome.TimedOut
                : result.LastResult is { LimitExceeded: true } ? RunOutcome.ResourceLimitExceeded
                : RunOutcome.StepFailed;
            Fail(context, outcome, step.Name, result.Message ?? $"Step '{step.Name}' failed.");
        }

        return result.Outcome;
    }
}
