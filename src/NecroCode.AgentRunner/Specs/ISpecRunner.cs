namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Carries out a Kiro spec: reads the folder, runs every task whose dependencies are done (several at once when
/// asked), each through the normal pipeline on its own branch — stacked on the branch of the task it builds on while
/// that is not merged — and ticks the tasks off in the folder's <c>tasks.md</c>. Added by <c>AddAgentRunner()</c>.
/// </summary>
public interface ISpecRunner
{
    /// <summary>Reads the spec and works out what a run would do, touching nothing.</summary>
    /// <param name="request">The folder and what to run.</param>
    /// <param name="cancellationToken">Cancels reading and checking.</param>
    /// <returns>Every task with what the run would do with it, in document order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SpecFormatException">The spec is malformed, or a task to run is invalid or its branch is another task's (every problem, by file and line).</exception>
    Task<SpecPlan> PlanAsync(SpecRunRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the spec: every selected task that is not done, in dependency order; a failed task stops its dependants
    /// and the others go on. A task marked in progress (a killed run) is resumed from its journal.
    /// </summary>
    /// <param name="request">The folder and what to run.</param>
    /// <param name="cancellationToken">Cancels the runs; their tasks stay marked in progress, to be resumed.</param>
    /// <returns>What became of every task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SpecFormatException">As for <see cref="PlanAsync"/>; nothing was run or changed.</exception>
    Task<SpecRunResult> RunAsync(SpecRunRequest request, CancellationToken cancellationToken);
}
