namespace NecroCode.AgentRunner.Health;

/// <summary>
/// Whether this runner process still takes work: the host calls <see cref="MarkShuttingDown"/> when it begins to
/// shut down (Ctrl+C, SIGTERM), and the readiness check reports Unhealthy from then on, so a load balancer or an
/// orchestrator stops sending work while the run winds down. Thread-safe; registered as a singleton.
/// </summary>
public sealed class RunnerReadiness
{
    private volatile string? _shutdownReason;

    /// <summary>Whether <see cref="MarkShuttingDown"/> was called.</summary>
    public bool IsShuttingDown => _shutdownReason is not null;

    /// <summary>Why the runner is shutting down; null while it is not.</summary>
    public string? ShutdownReason => _shutdownReason;

    /// <summary>Marks the runner as shutting down; later calls keep the first reason.</summary>
    /// <param name="reason">Why, for the readiness description. Default "the runner is shutting down".</param>
    public void MarkShuttingDown(string? reason = null) =>
        Interlocked.CompareExchange(ref _shutdownReason, string.IsNullOrWhiteSpace(reason) ? "the runner is shutting down" : reason, null);
}
