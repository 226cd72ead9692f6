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
}
