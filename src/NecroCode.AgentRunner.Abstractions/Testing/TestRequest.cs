namespace NecroCode.AgentRunner;

/// <summary>A request to run a task's tests.</summary>
/// <param name="WorkspacePath">The working directory.</param>
/// <param name="Commands">Shell command lines; detected from the repository when empty.</param>
/// <param name="FailFast">Stop at the first failing command.</param>
/// <param name="Events">Where output lines go.</param>
/// <param name="StepName">The step name for output events.</param>
public sealed record TestRequest(string WorkspacePath, IReadOnlyList<string> Commands, bool FailFast, IRunEventSink Events, string StepName = "test")
{
    /// <summary>
    /// Variables for this run's test commands, on top of the runner's configured ones; a null value removes an
    /// inherited variable (the orchestrator removes every variable that holds a secret this way).
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Whether this is the baseline run: the tests on the unchanged base, before the agent works.</summary>
    public bool Baseline { get; init; }
}
