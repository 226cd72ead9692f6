using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>Settings of <see cref="ProcessTestRunner"/>.</summary>
public sealed class TestRunnerOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Tests</c>.</summary>
    public const string SectionName = "NecroCode:Tests";

    /// <summary>The shell each command line runs in, as <c>shell -c "command"</c>. Default <c>/bin/sh</c>.</summary>
    [Required]
    public string Shell { get; set; } = "/bin/sh";

    /// <summary>Longest each command may run; its process tree is stopped after that. Null: no limit of its own (default).</summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>
    /// Whether test commands inherit the runner's environment. Default <see langword="true"/>: test tools need
    /// far more than <c>PATH</c> (SDK roots, caches, proxies, <c>JAVA_HOME</c>, <c>GOPATH</c> …). Set it to false to
    /// give them only <see cref="Environment"/> plus <c>PATH</c>, <c>HOME</c>, <c>LANG</c> and <c>TMPDIR</c>. Either way,
    /// every variable that holds a secret (by name or by value) and every other <c>NECROCODE_*</c> variable is removed.
    /// </summary>
    public bool InheritEnvironment { get; set; } = true;

    /// <summary>Variables set for every test command (a null value removes an inherited one).</summary>
    public Dictionary<string, string?> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Characters of each command's stdout and stderr kept in the result (the tail). Default 64 KiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int OutputCaptureLimit { get; set; } = 64 * 1024;

    /// <summary>
    /// When the task's tests run once on the unchanged base before the agent works, so that failures after the change
    /// can be told apart from failures that were there before. <c>Auto</c> (default): when the playbook has a test
    /// step and no command step before it (an install or build step would be missing from the baseline); a baseline
    /// that cannot be taken (no command, timed out, broke a limit) is a warning and every failure then fails the run.
    /// <c>Always</c>: whenever the playbook has a test step, and a baseline that cannot be taken stops the run before
    /// the agent works. <c>Never</c>: no baseline; every failing test fails the run. Baselines are cached per base
    /// commit and test command in the work directory and shared by the runs on the same base.
    /// </summary>
    public TestBaselineMode Baseline { get; set; } = TestBaselineMode.Auto;

    /// <summary>
    /// The classes of test cases that fail the run, separated by <c>;</c> or <c>,</c>: any of <c>Regressed</c>,
    /// <c>NewFailing</c>, <c>StillFailing</c>, <c>Flaky</c>, <c>Removed</c>. Default <c>Regressed;NewFailing</c>. Only
    /// these go back to the agent in the fix loop.
    /// </summary>
    [Required]
    public string FailOn { get; set; } = "Regressed;NewFailing";

    /// <summary>
    /// Where the test tools write their results (JUnit XML, TRX, TAP), as globs relative to the workspace separated by
    /// <c>;</c>: <c>**</c> any folders, <c>*</c> any name part, <c>?</c> one character. Only files the test run wrote
    /// count; <c>.git</c> and <c>node_modules</c> are not searched. Default
    /// <c>**/junit*.xml;**/TEST-*.xml;**/*.junit.xml;**/test-results*.xml;**/*.trx;**/*.tap</c>.
    /// </summary>
    [Required]
    public string Results { get; set; } = "**/junit*.xml;**/TEST-*.xml;**/*.junit.xml;**/test-results*.xml;**/*.trx;**/*.tap";

    /// <summary>The largest result file read, in bytes; a larger one is a warning and is ignored. Default 32 MiB.</summary>
    [Range(1024, int.MaxValue)]
    public int ResultFileLimit { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Whether tests that would fail the run are run again once (the whole test command) to tell flaky failures from
    /// real ones; a case that passes the second time is <c>Flaky</c>. Default <see langword="true"/>. Only with a baseline.
    /// </summary>
    public bool RerunFailures { get; set; } = true;
}
