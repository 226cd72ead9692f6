namespace NecroCode.AgentRunner.State;

/// <summary>
/// The runner's state machine: Idle → Running → Completed | Failed, and Idle → Failed for a
/// task refused before it started. Illegal transitions are refused; every transition is timestamped
/// and reported to the observer.
/// </summary>
internal sealed class RunnerStateMachine
{
    private readonly TimeProvider _time;
    private readonly Action<StateTransition>? _observer;
    private readonly List<StateTransition> _transitions = [];
    private readonly Lock _gate = new();

    /// <summary>Creates a machine in <see cref="RunnerState.Idle"/>.</summary>
    /// <param name="time">The clock for timestamps.</param>
    /// <param name="observer">Called after each transition, outside the machine's lock.</param>
    public RunnerStateMachine(TimeProvider time, Action<StateTransition>? observer = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _observer = observer;
    }

    /// <summary>The current state.</summary>
    public RunnerState Current { get; private set; } = RunnerState.Idle;

    /// <summary>Every transition so far, oldest first.</summary>
    public IReadOnlyList<StateTransition> Transitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transitions];
            }
        }
    }

    /// <summary>Tells whether the machine allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The target state.</param>
    /// <returns><see langword="true"/> when the transition is legal.</returns>
    public static bool IsAllowed(RunnerState from, RunnerState to) => (from, to) switch
    {
        (RunnerState.Idle, RunnerState.Running) => true,
        (RunnerState.Idle, RunnerState.Failed) => true,
        (RunnerState.Running, RunnerState.Completed) => true,
        (RunnerState.Running, RunnerState.Failed) => true,
        _ => false,
    };

    /// <summary>Moves to <paramref name="to"/>.</summary>
    /// <param name="to">The target state.</param>
    /// <param name="reason">Why, when useful.</param>
    /// <returns>The recorded transition.</returns>
    /// <exception cref="InvalidStateTransitionException">The transition is not allowed.</exception>
    public StateTransition MoveTo(RunnerState to, string? reason = null)
    {
        StateTransition transition;
        lock (_gate)
        {
            if (!IsAllowed(Current, to))
            {
                throw new InvalidStateTransitionException(Current, to);
            }

            transition = new StateTransition(Current, to, _time.GetUtcNow(), reason);
            _transitions.Add(transition);
            Current = to;
        }

        _observer?.Invoke(transition);
        return transition;
    }
}
