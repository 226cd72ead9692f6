using NecroCode.AgentRunner.Execution;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Records the task's end in the registry: its state (Done or Failed) and one completion event, which a resumed run
/// never repeats — only while the run still holds the task.
/// </summary>
internal sealed class ReportStep(ITaskRegistry registry, TaskEventWriter taskEvents) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.Report;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) => context.Claimed ? null : StepVerdict.Skipped;

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var completion = TaskCompletion.Of(context.FailureOutcome ?? RunOutcome.Succeeded, context.Branch, context.CommitId, context.Artifacts, context.Error?.Message, context.Tests?.Comparison, context.Implementations);
        if (await ClaimCheck.LostAsync(registry, context, $"its {completion.State} state was not recorded", cancellationToken).ConfigureAwait(false) is { } lost)
        {
            return StepVerdict.Fail(RunOutcome.Conflict, Name, lost);
        }

        await registry.SetTaskStateAsync(context.Key, completion.State, context.RunnerId, cancellationToken).ConfigureAwait(false);
        if (await AlreadyReportedAsync(context, completion.Type, cancellationToken).ConfigureAwait(false))
        {
            context.Reported = true;
            return StepVerdict.Skipped;
        }

        await taskEvents.AppendAsync(context, completion.Type, completion.Message, completion.Data, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(Name));
        await context.SaveJournalAsync(j => j with { ReportedEvent = completion.Type }, cancellationToken).ConfigureAwait(false);
        context.Reported = true;
        return StepVerdict.Succeeded;
    }

    /// <summary>Whether a resumed run already recorded its completion event (journal, or the registry itself after a crash between the two).</summary>
    private async Task<bool> AlreadyReportedAsync(RunContext context, string type, CancellationToken cancellationToken)
    {
        if (context.Previous is null)
        {
            return false;
        }

        if (context.Journal?.ReportedEvent == type)
        {
            return true;
        }

        var events = await registry.GetEventsAsync(context.Key, cancellationToken).ConfigureAwait(false);
        return events.Any(e => e.Type == type && e.RunnerId == context.RunnerId);
    }
}
