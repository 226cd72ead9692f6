namespace NecroCode.AgentRunner;

/// <summary>A child process to run: program, arguments, directory, explicit environment, limits.</summary>
public sealed record ProcessSpec
{
    /// <summary>The program (a path or a name looked up on <c>PATH</c>).</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, each passed as one argument (never through a shell).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; must exist.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// Environment variables for the process. When <see cref="InheritEnvironment"/> is false these
    /// are all it gets (plus <c>PATH</c>, <c>HOME</c>, <c>LANG</c>, <c>TMPDIR</c> when not given);
    /// a null value removes an inherited variable.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Whether the process inherits the runner's environment. Default false.</summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>Text written to standard input, which is then closed; stdin is closed at once when null.</summary>
    public string? StandardInput { get; init; }

    /// <summary>How long the process may run; its whole tree is stopped after that. Null: no limit of its own.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Resident memory the whole tree may use, in bytes; null: the runner's configured limit, if any.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>CPU time the whole tree may use; null: the runner's configured limit, if any.</summary>
    public TimeSpan? CpuTimeLimit { get; init; }

    /// <summary>The step the process belongs to, for its output events.</summary>
    public string StepName { get; init; } = "process";

    /// <summary>Where output lines are published, masked; none when null.</summary>
    public IRunEventSink? Events { get; init; }

    /// <summary>
    /// The folder the process is confined to by the runner's sandbox (<c>NecroCode:Sandbox</c>): it may write only there,
    /// in a private temporary folder and in the configured extra paths, and may not read the runner's secrets and state.
    /// Null (default): not confined.
    /// </summary>
    public string? ConfinedTo { get; init; }

    /// <summary>How many characters of the end of each stream the result keeps. Default 64 KiB.</summary>
    public int CaptureLimit { get; init; } = 64 * 1024;

    /// <summary>
    /// Asks the process to wrap up when cancelled: <see cref="WrapUpSignal"/> goes to its process group, it has
    /// <see cref="WrapUpGracePeriod"/> to exit by itself (its exit code is then the result's), after which its tree is
    /// stopped (<see cref="ProcessStopReason.WrapUpExpired"/>). Unlike the caller's cancellation, the run still returns a result.
    /// </summary>
    public CancellationToken WrapUp { get; init; }

    /// <summary>The POSIX signal number <see cref="WrapUp"/> sends. Default 2 (SIGINT, the interrupt key).</summary>
    public int WrapUpSignal { get; init; } = 2;

    /// <summary>How long the process may take to exit after its wrap-up signal. Default 30 seconds.</summary>
    public TimeSpan WrapUpGracePeriod { get; init; } = TimeSpan.FromSeconds(30);
}
