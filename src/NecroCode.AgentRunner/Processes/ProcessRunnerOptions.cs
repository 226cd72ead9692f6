using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Processes;

/// <summary>Settings of <see cref="ProcessRunner"/>: how process trees are stopped, measured and limited.</summary>
public sealed class ProcessRunnerOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Processes</c>.</summary>
    public const string SectionName = "NecroCode:Processes";

    /// <summary>How long the tree may take to end after SIGINT before SIGTERM is sent. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan InterruptGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the tree may take to end after SIGTERM before SIGKILL is sent. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan TerminateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the output streams to close once the tree is gone. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan OutputDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the tree's memory and CPU time are sampled from <c>/proc</c>. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Resident memory the whole tree may use, in bytes; the tree is stopped above it. Null: no limit (default).</summary>
    [Range(1L, long.MaxValue)]
    public long? MemoryLimitBytes { get; set; }

    /// <summary>CPU time the whole tree may use; the tree is stopped above it. Null: no limit (default).</summary>
    public TimeSpan? CpuTimeLimit { get; set; }

    /// <summary>Share of a limit at which a <see cref="RunWarning"/> is published once. Default 0.8.</summary>
    [Range(0.01, 1.0)]
    public double LimitWarningThreshold { get; set; } = 0.8;

    /// <summary>Longest line published as one event; longer lines are split, never inside a secret. Default 16384 characters.</summary>
    [Range(80, 16 * 1024 * 1024)]
    public int MaxLineLength { get; set; } = 16 * 1024;

    /// <summary>
    /// The program that starts each child as the leader of a new session and process group (util-linux
    /// <c>setsid</c>, which executes the child in place) when <see cref="NativeSpawn"/> is off or not available. A name is looked up on the runner's <c>PATH</c>.
    /// When empty or not found, children share the runner's group and are found only through the
    /// tracking variable. Default <c>setsid</c>.
    /// </summary>
    public string? SessionWrapper { get; set; } = "setsid";

    /// <summary>
    /// Start children with the C library's <c>posix_spawn</c> as leaders of a new session (glibc 2.29 or later), with
    /// every signal at its default and none blocked; <see cref="SessionWrapper"/> is then used only where that is not
    /// available. Saves executing the wrapper program for every child. Children started the other way inherit what
    /// <see cref="System.Diagnostics.Process"/> gives them, an ignored SIGPIPE included. Default true.
    /// </summary>
    public bool NativeSpawn { get; set; } = true;
}
