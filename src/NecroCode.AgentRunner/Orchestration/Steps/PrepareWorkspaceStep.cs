using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Cleans the slot and creates the task's branch. A resumed run whose journal holds its commit gets the slot back at
/// that commit; when the slot no longer holds it, the task is run again from the start.
/// </summary>
internal sealed class PrepareWorkspaceStep(IWorkspaceManager workspace) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.PrepareWorkspace;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) =>
        context.Lease is null ? StepVerdict.MissingPrerequisite(Name, PlaybookBuiltInSteps.AcquireSlot) : null;

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var request = new WorkspaceRequest(context.Lease!.Path, context.Branch, context.Key, context.Events) 
        {
            Secrets = context.Secrets,
            BaseBranch = context.Task.BaseBranch,
            BaseCommit = context.Task.BaseCommit,
        };
        if (context.Journal is { CommitId: { } commit, BaseCommit: { } baseCommit })
        {
            try
            {
                var resumed = await workspace.PrepareAsync(request with { ResumeCommit = commit }, cancellationToken).ConfigureAwait(false);
                context.Workspace = resumed with { BaseCommit = baseCommit };
                context.Diff = await workspace.GetDiffAsync(resumed.Path, baseCommit, cancellationToken).ConfigureAwait(false);
                return StepVerdict.Succeeded;
            }
            catch (WorkspaceException ex)
            {
                context.Events.Publish(new RunWarning(Name, $"The slot no longer holds commit {commit}; the task is run again from the start: {ex.Message}"));
                await context.SaveJournalAsync(j => j with { CommitId = null, Tests = null, Push = null }, cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            context.Workspace = await workspace.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex) when (!ex.IsTransient)
        {
            // Not a passing condition (network, a live git process): the slot itself may be broken.
            context.SlotSuspect = ex.Message;
            throw;
        }

        await context.SaveJournalAsync(j => j with { BaseCommit = context.Workspace.BaseCommit }, cancellationToken).ConfigureAwait(false);
        return StepVerdict.Succeeded;
    }
}
