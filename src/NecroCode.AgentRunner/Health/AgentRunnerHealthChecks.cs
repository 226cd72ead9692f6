namespace NecroCode.AgentRunner.Health;

/// <summary>The names and the tag of the checks added by <c>AddAgentRunnerHealthChecks</c>.</summary>
public static class AgentRunnerHealthChecks
{
    /// <summary>The tag of every readiness check (select them with <c>r =&gt; r.Tags.Contains(ReadyTag)</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The registry answers <c>GetRunnersAsync</c> within the timeout.</summary>
    public const string Registry = "registry";

    /// <summary>The artifact store is reachable (file system: its folder exists and is writable).</summary>
    public const string ArtifactStore = "artifact-store";

    /// <summary>The slot pool holds at least one slot.</summary>
    public const string SlotPool = "slot-pool";

    /// <summary>The runner is not shutting down (<see cref="RunnerReadiness"/>).</summary>
    public const string Shutdown = "not-shutting-down";
}
