namespace NecroCode.AgentRunner;

/// <summary>One test case of a test run, read from a result file (JUnit XML, TRX or TAP).</summary>
/// <param name="Suite">The suite or class the case belongs to; empty when the tool names none.</param>
/// <param name="Name">The case's name within its suite.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record TestCaseResult(string Suite, string Name, TestCaseOutcome Outcome)
{
    /// <summary>The case's identity across runs: <c>suite::name</c>, or the name alone when there is no suite.</summary>
    public string Id => Suite.Length == 0 ? Name : Suite + "::" + Name;

    /// <summary>The failure's or skip's message, masked; null when there is none.</summary>
    public string? Message { get; init; }

    /// <summary>The failure's details (stack trace, assertion output), masked and cut to a few KiB; null when there are none.</summary>
    public string? Details { get; init; }

    /// <summary>How long the case ran, when the tool says.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The result file the case was read from, relative to the workspace.</summary>
    public string? Source { get; init; }
}
