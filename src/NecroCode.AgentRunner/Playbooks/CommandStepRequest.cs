namespace NecroCode.AgentRunner.Playbooks;

/// <summary>Where and how a command step of a run is executed.</summary>
internal sealed record CommandStepRequest
{
    /// <summary>The run's workspace; the step runs there, or in its working directory inside it.</summary>
    public required string WorkspacePath { get; init; }

    /// <summary>Where output lines and retries are published; none when null.</summary>
    public IRunEventSink? Events { get; init; }

    /// <summary>The runner's environment for commands; the step's own <see cref="PlaybookStep.Environment"/> goes on top.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Whether the command inherits the runner's process environment. Default false.</summary>
    public bool InheritEnvironment { get; init; }

    /// <summary>The limit of each attempt when the step gives no <see cref="PlaybookStep.Timeout"/>; null: none of its own.</summary>
    public TimeSpan? DefaultTimeout { get; init; }
}
