using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Runs the coding agent's first attempt and checks what it left in the workspace; before it, the baseline of the
/// task's tests is taken on the unchanged base (<see cref="TestBaseline"/>).
/// </summary>
internal sealed class ImplementStep(AgentAttempt attempt, TestBaseline baseline) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.Implement;

    /// <inheritdoc />
    public StepVerdict? Check(RunContext context) =>
        context.Workspace is null ? StepVerdict.MissingPrerequisite(Name, PlaybookBuiltInSteps.PrepareWorkspace) : null;

    /// <inheritdoc />
    /// <remarks>A resumed run whose journal holds its commit implemented the task already.</remarks>
    public StepVerdict? Resume(RunContext context) => context.Journal?.CommitId is not null ? StepVerdict.Skipped : null;

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken) =>
        await baseline.TakeAsync(context, Name, cancellationToken).ConfigureAwait(false)
        ?? await attempt.RunAsync(context, 1, null, Name, cancellationToken).ConfigureAwait(false);
}
