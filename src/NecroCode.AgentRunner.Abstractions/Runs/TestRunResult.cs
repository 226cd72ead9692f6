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
}
