namespace NecroCode.AgentRunner.Docker;

/// <summary>What one container did: its result line (when it wrote one) and how it ended.</summary>
internal sealed record ContainerRun(
    RunnerResult? Result,
    string? RunnerId,
    long ExitCode,
    bool OutOfMemory,
    bool TimedOut,
    bool Cancelled,
    TimeSpan Timeout,
    string? LastError,
    int ResultLines);
