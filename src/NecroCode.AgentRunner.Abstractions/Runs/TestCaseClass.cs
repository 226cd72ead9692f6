namespace NecroCode.AgentRunner;

/// <summary>
/// What a change did to one test case (or, without parseable results, to one test command), comparing the run after
/// the change with the baseline run on the unchanged base.
/// </summary>
public enum TestCaseClass
{
    /// <summary>Passed before and after.</summary>
    Passing,

    /// <summary>Failed before, passes after.</summary>
    Fixed,

    /// <summary>Passed before, fails after.</summary>
    Regressed,

    /// <summary>Failed before and after (a pre-existing failure).</summary>
    StillFailing,

    /// <summary>Not in the baseline; passes.</summary>
    NewPassing,

    /// <summary>Not in the baseline; fails.</summary>
    NewFailing,

    /// <summary>Failed after the change, then passed when the tests ran again.</summary>
    Flaky,

    /// <summary>Skipped after the change.</summary>
    Skipped,

    /// <summary>In the baseline, but not reported after the change (removed or no longer run).</summary>
    Removed,
}
