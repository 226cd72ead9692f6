namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// The time a run has: the host's cancellation and the task's timeout. Hands each step its <see cref="StepBudget"/>;
/// the steps that always run get a clean-up budget of their own.
/// </summary>
internal sealed class RunBudget : IDisposable
{
    /// <summary>How long a step that always runs (report, release the slot …) may take after the run was stopped.</summary>
    public static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _claimLost = new();
    private readonly CancellationTokenSource _run;
    private readonly TimeProvider _time;

    /// <summary>Starts the budget of a run.</summary>
    /// <param name="taskTimeout">The task's timeout.</param>
    /// <param name="time">The clock.</param>
    /// <param name="host">The host's cancellation.</param>
    public RunBudget(TimeSpan taskTimeout, TimeProvider time, CancellationToken host)
    {
        _time = time;
        Host = host;
        _timeout = new CancellationTokenSource(taskTimeout, time);
        _run = CancellationTokenSource.CreateLinkedTokenSource(host, _timeout.Token, _claimLost.Token);
    }

    /// <summary>The host's cancellation.</summary>
    public CancellationToken Host { get; }

    /// <summary>Cancelled when the task's timeout has passed.</summary>
    public CancellationToken TaskTimeout => _timeout.Token;

    /// <summary>Cancelled when the run lost its claim of the task.</summary>
    public CancellationToken ClaimLost => _claimLost.Token;

    /// <summary>Cancelled when the run must stop (host, timeout or a lost claim).</summary>
    public CancellationToken Token => _run.Token;

    /// <summary>The budget of one step of the run.</summary>
    /// <param name="always">Whether the step always runs: then it gets a clean-up budget instead of the run's.</param>
    /// <param name="limit">The step's own limit, if any.</param>
    /// <returns>The step's budget; dispose it when the step ends.</returns>
    public StepBudget ForStep(bool always, TimeSpan? limit) =>
        always ? StepBudget.Cleanup(CleanupTimeout, _time, limit) : StepBudget.Within(limit, Token, Host, TaskTimeout, ClaimLost);

    /// <summary>A budget inside a running step's token (a fix attempt inside the test step).</summary>
    /// <param name="step">The running step's token.</param>
    /// <returns>The nested budget; dispose it when the nested step ends.</returns>
    public StepBudget Inside(CancellationToken step) => StepBudget.Within(null, step, Host, TaskTimeout, ClaimLost);

    /// <summary>Stops the run because it lost its claim: the steps in progress are cancelled, the closing ones still run.</summary>
    public void StopForLostClaim()
    {
        try
        {
            _claimLost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run is over already.
        }
    }

    /// <summary>The clean-up budget of a closing step the playbook left out.</summary>
    /// <returns>The budget; dispose it when the step ends.</returns>
    public StepBudget Cleanup() => StepBudget.Cleanup(CleanupTimeout, _time);

    /// <inheritdoc />
    public void Dispose()
    {
        _run.Dispose();
        _claimLost.Dispose();
        _timeout.Dispose();
    }
}
