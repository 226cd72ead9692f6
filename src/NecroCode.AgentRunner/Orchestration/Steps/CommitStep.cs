using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Commits the change, after checking the tree once more: test commands and command steps ran code from the change
/// and may have written anything into the workspace.
/// </summary>
internal sealed class CommitStep(IWorkspaceManager workspace, ChangeCheck changes, ISecretMasker masker, IOptions<AgentRunnerOptions> options) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.Commit;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) => DeliveryGuard.RefuseUntested(context, Name);

    /// <inheritdoc />
    /// <remarks>The journal of a resumed run holds the commit it made.</remarks>
    public StepVerdict? Resume(RunContext context)
    {
        if (context.Journal?.CommitId is not { } committed)
        {
            return null;
        }

        context.CommitId = committed;
        return StepVerdict.Skipped;
    }

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var prepared = context.Workspace!;
        context.Diff = await workspace.GetDiffAsync(prepared.Path, prepared.BaseCommit, cancellationToken).ConfigureAwait(false);
        if (changes.Refuse(context, Name) is { } refused)
        {
            return refused;
        }

        var message = options.Value.CommitMessageTemplate
            .Replace("{id}", context.Task.TaskId, StringComparison.Ordinal)
            .Replace("{spec}", context.Task.SpecName, StringComparison.Ordinal)
            .Replace("{title}", context.Task.Title.Trim(), StringComparison.Ordinal);
        context.CommitId = await workspace.CommitAsync(new CommitRequest(prepared.Path, masker.Apply(message)) { BaseCommit = prepared.BaseCommit, Diff = context.Diff }, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(Name));
        await context.SaveJournalAsync(j => j with { CommitId = context.CommitId }, cancellationToken).ConfigureAwait(false);
        return StepVerdict.Succeeded;
    }
}
