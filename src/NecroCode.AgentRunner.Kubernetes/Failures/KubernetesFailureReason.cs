namespace NecroCode.AgentRunner.Kubernetes;

/// <summary>
/// Why a task's pod did not run to the runner's own end, as read from the pod's and the Job's status; the
/// <c>RunError.Code</c> of the failed run's error.
/// </summary>
public enum KubernetesFailureReason
{
    /// <summary><c>OOMKilled</c>: the runner's container went past its memory limit and was killed.</summary>
    OOMKilled,

    /// <summary><c>DeadlineExceeded</c>: the Job ran past its <c>activeDeadlineSeconds</c> (the task's timeout plus the margin).</summary>
    DeadlineExceeded,

    /// <summary><c>ErrImagePull</c> or <c>ImagePullBackOff</c>: the kubelet could not pull the image until the pending timeout.</summary>
    ImagePull,

    /// <summary><c>InvalidImageName</c>: the image reference cannot be parsed.</summary>
    InvalidImageName,

    /// <summary><c>CrashLoopBackOff</c>: the container keeps failing at start.</summary>
    CrashLoopBackOff,

    /// <summary><c>CreateContainerConfigError</c>: the container could not be configured (a missing Secret, a bad user) until the pending timeout.</summary>
    CreateContainerConfigError,

    /// <summary><c>Unschedulable</c>: no node fits the pod (the scheduler's message says why) until the pending timeout.</summary>
    Unschedulable,

    /// <summary><c>Evicted</c>: the kubelet evicted the pod (node pressure) and the Job made no replacement.</summary>
    Evicted,

    /// <summary><c>DisruptionTarget</c>: the pod was disrupted (preempted, drained, evicted through the API) and the Job made no replacement.</summary>
    Disrupted,

    /// <summary>The pod (or its Job) was deleted by someone other than this host.</summary>
    DeletedFromOutside,

    /// <summary>The pod stayed Pending past <see cref="KubernetesOptions.PendingTimeout"/> with no reason given.</summary>
    PendingTimeout,

    /// <summary>The pod failed for a reason not listed here (the pod's own reason and message are in the error).</summary>
    PodFailed,
}
