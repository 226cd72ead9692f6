namespace NecroCode.AgentRunner.Orchestration;

/// <summary>Assembles a run's summary from its context, every free-text field masked: it leaves the runner for hosts, files and logs.</summary>
internal static class RunResultBuilder
{
    /// <summary>The summary of the run that <paramref name="context"/> holds.</summary>
    /// <param name="context">The ended run.</param>
    /// <param name="outcome">Its outcome.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="duration">How long it took.</param>
    /// <param name="masker">The masker.</param>
    /// <returns>The masked summary.</returns>
    public static RunnerResult Build(RunContext context, RunOutcome outcome, DateTimeOffset startedAt, TimeSpan duration, ISecretMasker masker) => Mask(
        new RunnerResult
        {
            TaskId = context.Task.TaskId,
            SpecName = context.Task.SpecName,
            RunnerId = context.RunnerId,
            Outcome = outcome,
            State = context.State.Current,
            StartedAt = startedAt,
            FinishedAt = startedAt + duration,
            Branch = context.Branch,
            CommitId = context.CommitId,
            SlotId = context.Lease?.SlotId,
            SlotQuarantined = context.SlotQuarantined,
            Implementations = [.. context.Implementations],
            Tests = context.Tests,
            PassedOnAttempt = context.PassedOnAttempt,
            Push = context.Push,
            Artifacts = [.. context.Artifacts],
            Steps = [.. context.Steps],
            Transitions = context.State.Transitions,
            Playbook = context.Playbook.Name,
            Error = context.Error,
        },
        masker);

    private static RunnerResult Mask(RunnerResult result, ISecretMasker masker)
    {
        string? M(string? text) => text is null ? null : masker.Apply(text);
        return result with
        {
            Error = result.Error is { } error ? error with { Message = M(error.Message)! } : null,
            Steps = [.. result.Steps.Select(s => s with { Message = M(s.Message) })],
            Transitions = [.. result.Transitions.Select(t => t with { Reason = M(t.Reason) })],
            Implementations = [.. result.Implementations.Select(i => i with { Error = M(i.Error) })],
            Push = result.Push is { } push ? push with { Error = M(push.Error) } : null,
            Tests = result.Tests is { } tests ? tests with { Commands = [.. tests.Commands.Select(c => c with { StandardOutput = M(c.StandardOutput)!, StandardError = M(c.StandardError)! })] } : null,
            Artifacts = [.. result.Artifacts.Select(a => a with { Error = M(a.Error) })],
        };
    }
}
