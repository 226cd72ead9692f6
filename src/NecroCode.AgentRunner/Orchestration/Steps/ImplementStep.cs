using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>Runs the coding agent's first attempt and checks what it left in the workspace.</summary>
internal sealed class ImplementStep(AgentAttempt attempt) : IRunStep
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
    public Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken) =>
        attempt.RunAsync(context, 1, null, Name, cancellationToken);
}
