namespace NecroCode.AgentRunner;

/// <summary>Structured result of a test run.</summary>
/// <param name="Outcome">Overall outcome: Passed only when every command passed.</param>
/// <param name="Commands">Per command, in order.</param>
/// <param name="Duration">Total duration.</param>
public sealed record TestRunResult(TestOutcome Outcome, IReadOnlyList<TestCommandResult> Commands, TimeSpan Duration)
{
    /// <summary>Number of commands that passed.</summary>
    public int Passed => Commands.Count(c => c.Outcome == TestOutcome.Passed);

    /// <summary>Number of commands that did not pass (failed, timed out, could not start or broke a limit).</summary>
    public int Failed => Commands.Count(c => c.Outcome is TestOutcome.Failed or TestOutcome.TimedOut or TestOutcome.Error or TestOutcome.LimitExceeded);

    /// <summary>The test cases read from the result files this run wrote (JUnit XML, TRX, TAP); empty when none parsed.</summary>
    public IReadOnlyList<TestCaseResult> Cases { get; init; } = [];

    /// <summary>Problems with the result files (malformed, too large), masked; the run then falls back to exit codes.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>This run compared with the baseline run on the unchanged base; null when no baseline was taken.</summary>
    public TestComparison? Comparison { get; init; }
}
