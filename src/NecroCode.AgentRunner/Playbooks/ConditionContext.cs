namespace NecroCode.AgentRunner.Playbooks;

/// <summary>A ready-made <see cref="IConditionContext"/> that the runner updates as the steps of a run end.</summary>
/// <param name="task">The task being run.</param>
/// <param name="variables">The playbook's variables.</param>
internal sealed class ConditionContext(TaskContext task, IReadOnlyDictionary<string, string> variables) : IConditionContext
{
    private readonly Dictionary<string, StepOutcome> _outcomes = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public TaskContext Task { get; } = task ?? throw new ArgumentNullException(nameof(task));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Variables { get; } = variables ?? throw new ArgumentNullException(nameof(variables));

    /// <inheritdoc />
    public string? WorkspacePath { get; set; }

    /// <inheritdoc />
    public bool HasFailed { get; private set; }

    /// <inheritdoc />
    public StepOutcome? GetStepOutcome(string stepName) =>
        _outcomes.TryGetValue(stepName, out var outcome) ? outcome : null;

    /// <summary>Records how a step ended; a failed, timed-out or cancelled step fails the run unless it may continue on error.</summary>
    /// <param name="stepName">The step's name.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="continueOnError">Whether the step's failure leaves the run going.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stepName"/> is null.</exception>
    public void RecordOutcome(string stepName, StepOutcome outcome, bool continueOnError = false)
    {
        ArgumentNullException.ThrowIfNull(stepName);
        _outcomes[stepName] = outcome;
        if (!continueOnError && outcome is StepOutcome.Failed or StepOutcome.TimedOut or StepOutcome.Cancelled)
        {
            HasFailed = true;
        }
    }

    /// <summary>Marks the run as failed (e.g. by a failure outside any step).</summary>
    public void MarkFailed() => HasFailed = true;
}
