using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Records the task's end in the registry: its state (Done or Failed) and one completion event, which a resumed run
/// never repeats.
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
        var done = !context.Failed;
        await registry.SetTaskStateAsync(context.Key, done ? TaskState.Done : TaskState.Failed, context.RunnerId, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, string>
        {
            ["outcome"] = (context.FailureOutcome ?? RunOutcome.Succeeded).ToString(),
            ["branch"] = context.Branch,
        };
        if (context.CommitId is not null)
        {
            data["commit"] = context.CommitId;
        }

        foreach (var artifact in context.Artifacts.Where(a => a.Uri is not null))
        {
            data["artifact:" + artifact.Name] = artifact.Uri!.ToString();
        }

        var message = done ? $"Pushed {context.Branch} at {context.CommitId}." : context.Error?.Message;
        var type = done ? TaskEventTypes.TaskCompleted : TaskEventTypes.TaskFailed;
        if (await AlreadyReportedAsync(context, type, cancellationToken).ConfigureAwait(false))
        {
            context.Reported = true;
            return StepVerdict.Skipped;
        }

        await taskEvents.AppendAsync(context, type, message, data, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(Name));
        await context.SaveJournalAsync(j => j with { ReportedEvent = type }, cancellationToken).ConfigureAwait(false);
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
