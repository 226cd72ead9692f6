namespace NecroCode.AgentRunner;

/// <summary>Kinds of artifact a run produces.</summary>
public enum ArtifactKind
{
    /// <summary>The implementation's diff, as a patch.</summary>
    Diff,

    /// <summary>The run log: JSON lines, one run event a line.</summary>
    RunLog,

    /// <summary>The structured test results, JSON.</summary>
    TestResults,

    /// <summary>The error log of a failed run.</summary>
    ErrorLog,

    /// <summary>Anything else (e.g. from a custom playbook step).</summary>
    Other,
}
