namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>How a canary run is meant to end.</summary>
public enum CanaryScenario
{
    /// <summary>The agent implements the task; tests pass; the branch is pushed.</summary>
    Success,

    /// <summary>The agent breaks the tests.</summary>
    TestsFail,

    /// <summary>The agent exits non-zero.</summary>
    AgentFails,

    /// <summary>Origin refuses the push (a pre-receive hook that also prints the canaries).</summary>
    PushFails,

    /// <summary>The agent hangs until the task's timeout.</summary>
    Timeout,

    /// <summary>The agent writes a canary into the change: refused, nothing pushed.</summary>
    CommitsSecret,

    /// <summary>A test command writes a canary into a new file of the workspace: refused at the commit, nothing pushed.</summary>
    TestWritesSecret,
}
