namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// One step of a playbook: either a built-in step of the pipeline (<see cref="Uses"/>) or a shell
/// command line run in the workspace (<see cref="Run"/>), exactly one of the two.
/// </summary>
public sealed record PlaybookStep
{
    /// <summary>The step's name, unique in its playbook; how events, results and <c>steps.&lt;name&gt;.outcome</c> refer to it.</summary>
    public required string Name { get; init; }

    /// <summary>The built-in step this step runs (one of <see cref="PlaybookBuiltInSteps.All"/>), or null for a command step.</summary>
    public string? Uses { get; init; }

    /// <summary>The command line run with <c>/bin/sh -c</c>, or null for a built-in step.</summary>
    public string? Run { get; init; }

    /// <summary>The condition under which the step runs; null: always (unless an earlier step failed).</summary>
    public PlaybookCondition? If { get; init; }

    /// <summary>Steps run in place of this one when <see cref="If"/> is false.</summary>
    public IReadOnlyList<PlaybookStep> Else { get; init; } = [];

    /// <summary>Whether a failure of this step leaves the run going (and the run's outcome untouched). Default false.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>How long the step may run (each attempt, for a command step); null: only the task's own timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How often a failed command step is retried. Default <see cref="PlaybookRetry.None"/>.</summary>
    public PlaybookRetry Retry { get; init; } = PlaybookRetry.None;

    /// <summary>Environment variables given to a command step, on top of the runner's.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The directory a command step runs in, relative to the workspace (never outside it); null: the workspace.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether the step runs even after an earlier step failed (like the clean-up steps of the default playbook).</summary>
    public bool Always { get; init; }

    /// <summary>In a playbook that extends the default: the default step this step is inserted before.</summary>
    public string? Before { get; init; }

    /// <summary>In a playbook that extends the default: the default step this step is inserted after.</summary>
    public string? After { get; init; }

    /// <summary>Whether the step runs a built-in step.</summary>
    public bool IsBuiltIn => Uses is not null;

    /// <summary>
    /// Decides what to do with the step at its turn. After an earlier failure a step is skipped unless it is
    /// <see cref="Always"/> or its condition calls a status function (<c>success()</c>, <c>failure()</c>,
    /// <c>always()</c>); otherwise the condition decides between the step, its else steps, or nothing.
    /// </summary>
    /// <param name="context">What the condition can see.</param>
    /// <returns>Run, run the else steps, or skip.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="PlaybookException">The condition could not be evaluated (e.g. <c>exists()</c> of a path outside the workspace).</exception>
    internal StepDecision Decide(IConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HasFailed && !Always && If is not { UsesStatusFunction: true })
        {
            return StepDecision.Skip;
        }

        if (If is null || If.Evaluate(context))
        {
            return StepDecision.Run;
        }

        return Else.Count > 0 ? StepDecision.RunElse : StepDecision.Skip;
    }
}
