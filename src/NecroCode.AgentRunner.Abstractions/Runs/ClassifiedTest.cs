namespace NecroCode.AgentRunner;

/// <summary>One test case or test command and what the change did to it.</summary>
/// <param name="Name">The case's id (<see cref="TestCaseResult.Id"/>) or, for a command, its command line.</param>
/// <param name="Class">What the change did to it.</param>
/// <param name="Blocking">Whether it fails the run (its class is one the runner is configured to fail on).</param>
public sealed record ClassifiedTest(string Name, TestCaseClass Class, bool Blocking)
{
    /// <summary>Whether this entry is a whole test command compared by exit code rather than a test case.</summary>
    public bool IsCommand { get; init; }

    /// <summary>Its outcome in the baseline; null when it was not there.</summary>
    public TestCaseOutcome? Before { get; init; }

    /// <summary>Its outcome after the change; null when it was not reported.</summary>
    public TestCaseOutcome? After { get; init; }

    /// <summary>The failure's message after the change, masked; null when it passed or there is none.</summary>
    public string? Message { get; init; }
}
