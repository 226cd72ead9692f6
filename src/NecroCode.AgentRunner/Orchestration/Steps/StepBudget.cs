namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// How long one step may run and why it was stopped: the host cancelled, the task ran past its timeout, or the step
/// ran past its own. The one place that tells these apart, for every step and fix attempt.
/// </summary>
internal sealed class StepBudget : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _host;
    private readonly CancellationToken _taskTimeout;
    private readonly CancellationToken _claimLost;
    private readonly TimeSpan? _limit;
    private readonly string? _limitOwner;

    private StepBudget(CancellationTokenSource source, TimeSpan? limit, CancellationToken host, CancellationToken taskTimeout, CancellationToken claimLost, string? limitOwner = null)
    {
        _source = source;
        _host = host;
        _taskTimeout = taskTimeout;
        _claimLost = claimLost;
        _limit = limit;
        _limitOwner = limitOwner;
    }

    /// <summary>Cancelled when the step must stop.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>A budget inside the run's: the host, the task timeout and, when given, the step's own limit.</summary>
    /// <param name="run">The run's token (host and task timeout linked).</param>
    /// <param name="host">The host's token.</param>
    /// <param name="taskTimeout">The task timeout's token.</param>
    /// <param name="limit">The step's own limit, if any.</param>
    /// <param name="claimLost">Cancelled when the run lost its claim of the task.</param>
    /// <returns>The budget; dispose it when the step ends.</returns>
    public static StepBudget Within(TimeSpan? limit, CancellationToken run, CancellationToken host, CancellationToken taskTimeout, CancellationToken claimLost = default)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(run);
        if (limit is { } l)
        {
            source.CancelAfter(l);
        }

        return new StepBudget(source, limit, host, taskTimeout, claimLost);
    }

    /// <summary>
    /// A clean-up budget of its own, beyond the host's cancellation and the task's timeout: the steps that always run
    /// (report, release the slot …) still get done after a cancellation.
    /// </summary>
    /// <param name="limit">How long the step may take.</param>
    /// <param name="time">The clock.</param>
    /// <param name="stepLimit">The step's own limit, if it has one; it replaces <paramref name="limit"/>.</param>
    /// <returns>The budget; dispose it when the step ends.</returns>
    public static StepBudget Cleanup(TimeSpan limit, TimeProvider time, TimeSpan? stepLimit = null)
    {
        var source = new CancellationTokenSource(limit, time);
        if (stepLimit is { } l)
        {
            source.CancelAfter(l);
        }

        return new StepBudget(source, stepLimit, CancellationToken.None, CancellationToken.None, CancellationToken.None);
    }

    /// <summary>
    /// A budget for a step that runs inside this one (a fix attempt inside the test step): stopped with it, for the
    /// same reasons; a limit of this step is named as <paramref name="owner"/>'s.
    /// </summary>
    /// <param name="owner">The name of the step this budget belongs to.</param>
    /// <returns>The nested budget; dispose it when the nested step ends.</returns>
    public StepBudget Nested(string owner) =>
        new(CancellationTokenSource.CreateLinkedTokenSource(Token), _limit, _host, _taskTimeout, _claimLost, _limitOwner ?? owner);

    /// <summary>Why the step was stopped, once <see cref="Token"/> is cancelled.</summary>
    /// <param name="step">The step's name.</param>
    /// <param name="taskTimeout">The task's timeout, for the message.</param>
    /// <returns>The run's outcome (<see cref="RunOutcome.Cancelled"/>, <see cref="RunOutcome.TimedOut"/> or, when the run lost its claim, <see cref="RunOutcome.Conflict"/>) and the reason.</returns>
    public (RunOutcome Outcome, string Message) WhyCancelled(string step, TimeSpan taskTimeout) =>
        _claimLost.IsCancellationRequested ? (RunOutcome.Conflict, $"The run lost its claim of the task during step {step} and stopped.")
        : _host.IsCancellationRequested ? (RunOutcome.Cancelled, $"The run was cancelled during step {step}.")
        : _taskTimeout.IsCancellationRequested ? (RunOutcome.TimedOut, $"The task ran past its timeout of {taskTimeout:c} during step {step}.")
        : _limit is { } limit ? (RunOutcome.TimedOut, $"Step {_limitOwner ?? step} ran past its timeout of {limit:c}.")
        : (RunOutcome.TimedOut, $"Step {step} ran out of time.");

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
