using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Pushes the task's branch, under the branch lock, once the registry gives the branch to this task (a branch belongs
/// to the first task that pushes it) and confirms that the run still holds the task.
/// </summary>
internal sealed class PushStep(IWorkspaceManager workspace, IBranchLock branchLock, ITaskRegistry registry, IOptions<AgentRunnerOptions> options) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.Push;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) =>
        DeliveryGuard.RefuseUntested(context, Name)
        ?? (context.CommitId is null ? StepVerdict.MissingPrerequisite(Name, PlaybookBuiltInSteps.Commit) : null);

    /// <inheritdoc />
    /// <remarks>The journal of a resumed run holds the push of this commit when it happened.</remarks>
    public StepVerdict? Resume(RunContext context)
    {
        if (context.Journal?.Push is not { Succeeded: true } pushed || pushed.CommitId != context.CommitId)
        {
            return null;
        }

        context.Push = pushed;
        return StepVerdict.Skipped;
    }

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var held = await branchLock.AcquireBranchAsync(context.Branch, context.RunnerId, options.Value.BranchLockWait, cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            // The one side effect others see: made only while the run still holds the task (a paused runner whose lease
            // ran out, or whose task was taken over, pushes nothing).
            if (await ClaimCheck.LostAsync(registry, context, $"branch {context.Branch} was not pushed", cancellationToken).ConfigureAwait(false) is { } lost)
            {
                return StepVerdict.Fail(RunOutcome.Conflict, Name, lost);
            }

            var claim = await registry.TryClaimBranchAsync(context.Branch, context.Key, context.RunnerId, cancellationToken).ConfigureAwait(false);
            if (!claim.IsOwnedBy(context.Key))
            {
                return StepVerdict.Fail(RunOutcome.Conflict, Name, BranchOwnership.TakenMessage(context.Key, claim));
            }

            context.Push = await workspace.PushAsync(new PushRequest(context.Workspace!.Path, context.Branch, context.Events) { Secrets = context.Secrets, ExpectedCommit = context.CommitId }, cancellationToken).ConfigureAwait(false);
        }

        if (!context.Push.Succeeded)
        {
            return StepVerdict.Fail(RunOutcome.PushFailed, Name, $"Pushing {context.Branch} failed after {context.Push.Attempts} attempt(s): {context.Push.Error}");
        }

        FailPoint.Reach(FailPoint.AfterEffect(Name));
        await context.SaveJournalAsync(j => j with { Push = context.Push }, cancellationToken).ConfigureAwait(false);
        return StepVerdict.Succeeded;
    }
}
