namespace NecroCode.AgentRunner.Kubernetes.Failures;

/// <summary>What the pod's status says about the run, as <see cref="PodClassifier"/> reads it.</summary>
internal enum PodVerdictKind
{
    /// <summary>No pod yet, or Pending with nothing wrong (scheduling, pulling, creating).</summary>
    Pending,

    /// <summary>Pending with a reason that may clear or may not (image pull, config error, unschedulable): ends at the pending timeout.</summary>
    Stuck,

    /// <summary>The runner runs.</summary>
    Running,

    /// <summary>The runner's container ended by itself with <see cref="PodVerdict.ExitCode"/>.</summary>
    Exited,

    /// <summary>The pod was disrupted; the Job may make a new one.</summary>
    Disrupted,

    /// <summary>The run ended for <see cref="PodVerdict.Reason"/>; nothing more will come of it.</summary>
    Failed,
}

/// <summary>The pod's state as the classifier reads it.</summary>
/// <param name="Kind">What it means for the run.</param>
/// <param name="Reason">Why it failed, was disrupted or is stuck; null otherwise.</param>
/// <param name="Message">The pod's own words (its reason and message, the scheduler's, the kubelet's) and its warning events.</param>
/// <param name="ExitCode">The runner container's exit code, when it ended.</param>
internal sealed record PodVerdict(PodVerdictKind Kind, KubernetesFailureReason? Reason = null, string? Message = null, long? ExitCode = null)
{
    /// <summary>No pod, or a pod on its way.</summary>
    public static PodVerdict Waiting { get; } = new(PodVerdictKind.Pending);

    /// <summary>Whether the run is over (exited, failed).</summary>
    public bool IsFinal => Kind is PodVerdictKind.Exited or PodVerdictKind.Failed;
}
