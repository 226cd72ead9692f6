namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// One built-in step of a run: it reads the run context, does one thing and says how it ended. Expected failures
/// (tests red, agent gave up, push rejected) are verdicts, never exceptions; the <see cref="StepRunner"/> maps
/// whatever else escapes and records the result.
/// </summary>
/// <remarks>
/// A step is a stateless singleton: everything of the run lives in the <see cref="RunContext"/>. Its name, the step
/// it requires and whether it always runs come from <see cref="BuiltInStepCatalog"/>, the one table of built-in steps.
/// </remarks>
internal interface IRunStep
{
    /// <summary>The step's built-in name (a <see cref="Playbooks.PlaybookBuiltInSteps"/> constant).</summary>
    string Name { get; }

    /// <summary>
    /// The guard before the step: a verdict when it must not run in this run as it stands (a step it needs has not
    /// run, or commit without a passing test run); null when it may run.
    /// </summary>
    /// <param name="context">The run.</param>
    /// <returns>The verdict that ends the step without running it, or null.</returns>
    StepVerdict? Check(RunContext context) => null;

    /// <summary>
    /// The resume rule: when the journal of a resumed run says the step's effect already happened, restores what the
    /// run needs of it into <paramref name="context"/> and returns <see cref="StepVerdict.Skipped"/>; else null.
    /// </summary>
    /// <param name="context">The run.</param>
    /// <returns>Skipped when the step is already done, or null.</returns>
    StepVerdict? Resume(RunContext context) => null;

    /// <summary>Runs the step.</summary>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">The step's budget (task timeout, step timeout, host cancellation).</param>
    /// <returns>How the step ended.</returns>
    Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken);
}
