namespace NecroCode.AgentRunner.TestExecution;

/// <summary>When the tests run on the unchanged base before the agent works (<see cref="TestRunnerOptions.Baseline"/>).</summary>
public enum TestBaselineMode
{
    /// <summary>When the playbook has a test step and no command step before it; a baseline that cannot be taken is a warning.</summary>
    Auto,

    /// <summary>Whenever the playbook has a test step; a baseline that cannot be taken stops the run before the agent works.</summary>
    Always,

    /// <summary>No baseline: every failing test fails the run.</summary>
    Never,
}
