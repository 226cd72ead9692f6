namespace NecroCode.AgentRunner;

/// <summary>How one test case ended, as its test tool reported it.</summary>
public enum TestCaseOutcome
{
    /// <summary>The case passed.</summary>
    Passed,

    /// <summary>The case failed or ended with an error.</summary>
    Failed,

    /// <summary>The case was skipped (or, in TAP, marked to do).</summary>
    Skipped,
}
