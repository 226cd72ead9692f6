namespace NecroCode.AgentRunner.Orchestration;

/// <summary>The names of the artifacts a run stores.</summary>
internal static class RunArtifactNames
{
    /// <summary>The diff of the change.</summary>
    public const string Diff = "diff.patch";

    /// <summary>The run log (JSON lines, one run event a line).</summary>
    public const string RunLog = "run-log.jsonl";

    /// <summary>The test results (JSON).</summary>
    public const string TestResults = "test-results.json";

    /// <summary>The error log of a failed run.</summary>
    public const string ErrorLog = "error.log";
}
