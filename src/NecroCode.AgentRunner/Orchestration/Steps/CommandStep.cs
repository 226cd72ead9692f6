using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>Runs a playbook's command step in the run's workspace, through the <see cref="CommandStepRunner"/>.</summary>
internal sealed class CommandStep(CommandStepRunner commands, RunCredentialsFactory credentials)
{
    /// <summary>Runs <paramref name="step"/>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="step">The playbook's command step.</param>
    /// <param name="cancellationToken">The step's budget (each attempt's own timeout is the command runner's).</param>
    /// <returns>How the step ended.</returns>
    public async Task<StepVerdict> RunAsync(RunContext context, PlaybookStep step, CancellationToken cancellationToken)
    {
        if ((context.Workspace?.Path ?? context.Lease?.Path) is not { } workspace)
        {
            return StepVerdict.Fail(RunOutcome.StepFailed, step.Name, $"Step {step.Name} runs a command, but no workspace exists in this run (step {PlaybookBuiltInSteps.PrepareWorkspace} has not run).");
        }

        var result = await commands.RunAsync(
            step,
            new CommandStepRequest { WorkspacePath = workspace, Events = context.Events, InheritEnvironment = true, Environment = credentials.HiddenEnvironment(context.Secrets) },
            cancellationToken).ConfigureAwait(false);
        if (result.Outcome == StepOutcome.Succeeded)
        {
            return StepVerdict.Succeeded;
        }

        var outcome = result.Outcome == StepOutcome.TimedOut ? RunOutcome.TimedOut
            : result.LastResult is { LimitExceeded: true } ? RunOutcome.ResourceLimitExceeded
            : RunOutcome.StepFailed;
        return new StepVerdict(result.Outcome, new StepFailure(outcome, step.Name, result.Message ?? $"Step '{step.Name}' failed."));
    }
}
