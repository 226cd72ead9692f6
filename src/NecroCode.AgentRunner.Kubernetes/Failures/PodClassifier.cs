using System.Globalization;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Failures;

/// <summary>
/// Reads what a task's pod, its Job and the pod's events say about the run: one pure function of what the API server
/// reports, so each failure reason is tested from a pod as the kubelet writes it.
/// </summary>
internal static class PodClassifier
{
    private static readonly Dictionary<string, KubernetesFailureReason> StuckReasons = new(StringComparer.Ordinal)
    {
        ["ErrImagePull"] = KubernetesFailureReason.ImagePull,
        ["ImagePullBackOff"] = KubernetesFailureReason.ImagePull,
        ["CreateContainerConfigError"] = KubernetesFailureReason.CreateContainerConfigError,
        ["CreateContainerError"] = KubernetesFailureReason.CreateContainerConfigError,
    };

    /// <summary>Classifies the run's state.</summary>
    /// <param name="pod">The Job's current pod, or the last one when it was deleted; null when there is none yet.</param>
    /// <param name="job">The Job; null when it is gone.</param>
    /// <param name="events">The pod's events (warnings are quoted in failures).</param>
    /// <param name="podDeleted">Whether <paramref name="pod"/> was deleted (not by this host, which stops following first).</param>
    /// <returns>The verdict.</returns>
    public static PodVerdict Classify(V1Pod? pod, V1Job? job, IReadOnlyList<Corev1Event> events, bool podDeleted)
    {
        ArgumentNullException.ThrowIfNull(events);
        var warnings = Warnings(events);
        if (JobFailed(job) is { Reason: "DeadlineExceeded" } deadline)
        {
            return Fail(KubernetesFailureReason.DeadlineExceeded, $"The Job ran past its deadline of {job!.Spec?.ActiveDeadlineSeconds?.ToString(CultureInfo.InvariantCulture) ?? "?"} s and was stopped: {deadline.Message}", warnings);
        }

        if (job is null)
        {
            return Fail(KubernetesFailureReason.DeletedFromOutside, "The Job was deleted from outside the run.", warnings);
        }

        if (pod is null)
        {
            return PodVerdict.Waiting;
        }

        var name = pod.Metadata?.Name ?? "?";
        var runner = RunnerStatus(pod);
        var terminated = runner?.State?.Terminated ?? runner?.LastState?.Terminated;

        // The kubelet may still say Running while the container is already gone: the OOM kill is final at once.
        if (terminated is { Reason: "OOMKilled" })
        {
            return Fail(KubernetesFailureReason.OOMKilled, $"The pod {name} went past its memory limit{Limit(pod)} and its container was OOMKilled (exit code {terminated.ExitCode}).", warnings, terminated.ExitCode);
        }

        if (pod.Status?.Reason == "DeadlineExceeded")
        {
            return Fail(KubernetesFailureReason.DeadlineExceeded, $"The pod {name} ran past its deadline: {pod.Status.Message}", warnings);
        }

        if (Condition(pod, "DisruptionTarget") is { Status: "True" } disruption)
        {
            var evicted = pod.Status?.Reason == "Evicted";
            var reason = evicted ? KubernetesFailureReason.Evicted : KubernetesFailureReason.Disrupted;
            var words = evicted ? pod.Status!.Message : $"{disruption.Reason}: {disruption.Message}";
            var message = $"The pod {name} was {(evicted ? "evicted" : "disrupted")} ({words}).";
            // The Job's pod-failure policy ignores disruptions: a new pod follows unless the Job failed.
            return Verdict(JobFailed(job) is null ? PodVerdictKind.Disrupted : PodVerdictKind.Failed, reason, message, warnings);
        }

        if (podDeleted && terminated is null)
        {
            return Fail(KubernetesFailureReason.DeletedFromOutside, $"The pod {name} was deleted from outside the run while it was {pod.Status?.Phase ?? "pending"}.", warnings);
        }

        if (pod.Status?.Reason == "Evicted")
        {
            return Fail(KubernetesFailureReason.Evicted, $"The pod {name} was evicted: {pod.Status.Message}", warnings);
        }

        if (terminated is not null)
        {
            return new PodVerdict(PodVerdictKind.Exited, null, Words(terminated.Reason, terminated.Message), terminated.ExitCode);
        }

        if (runner?.State?.Waiting is { } waiting)
        {
            if (waiting.Reason == "InvalidImageName")
            {
                return Fail(KubernetesFailureReason.InvalidImageName, $"The pod {name} cannot run: its image name is invalid ({waiting.Message}).", warnings);
            }

            if (waiting.Reason == "CrashLoopBackOff")
            {
                return Fail(KubernetesFailureReason.CrashLoopBackOff, $"The pod {name}'s container keeps failing at start (CrashLoopBackOff: {waiting.Message}).", warnings);
            }

            if (waiting.Reason is { } stuck && StuckReasons.TryGetValue(stuck, out var reason))
            {
                return Verdict(PodVerdictKind.Stuck, reason, $"The pod {name} is waiting: {stuck}: {waiting.Message}", warnings);
            }
        }

        if (pod.Status?.Phase == "Failed")
        {
            return Fail(KubernetesFailureReason.PodFailed, $"The pod {name} failed: {Words(pod.Status.Reason, pod.Status.Message)}", warnings);
        }

        if (pod.Status?.Phase == "Succeeded")
        {
            return new PodVerdict(PodVerdictKind.Exited, null, null, 0);
        }

        if (Condition(pod, "PodScheduled") is { Status: "False", Reason: "Unschedulable" } unschedulable)
        {
            return Verdict(PodVerdictKind.Stuck, KubernetesFailureReason.Unschedulable, $"The pod {name} cannot be scheduled: {unschedulable.Message}", warnings);
        }

        return pod.Status?.Phase == "Running" ? new PodVerdict(PodVerdictKind.Running) : PodVerdict.Waiting;
    }

    /// <summary>The run's failure when the pod stayed pending past the pending timeout, from what it last waited for.</summary>
    public static PodVerdict PendingTimedOut(PodVerdict last, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(last);
        var how = string.Create(CultureInfo.InvariantCulture, $"The pod stayed pending for {timeout} (NecroCode:Kubernetes:PendingTimeout)");
        return last is { Kind: PodVerdictKind.Stuck or PodVerdictKind.Disrupted, Reason: { } reason }
            ? new PodVerdict(PodVerdictKind.Failed, reason, $"{how}. {last.Message}")
            : new PodVerdict(PodVerdictKind.Failed, KubernetesFailureReason.PendingTimeout, $"{how}.{(last.Message is null ? "" : " " + last.Message)}");
    }

    private static PodVerdict Fail(KubernetesFailureReason reason, string message, string warnings, long? exitCode = null) =>
        new(PodVerdictKind.Failed, reason, message + warnings, exitCode);

    private static PodVerdict Verdict(PodVerdictKind kind, KubernetesFailureReason reason, string message, string warnings) =>
        new(kind, reason, message + warnings);

    private static V1ContainerStatus? RunnerStatus(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == Manifests.JobLabels.Container) ?? pod.Status?.ContainerStatuses?.FirstOrDefault();

    private static V1PodCondition? Condition(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static V1JobCondition? JobFailed(V1Job? job) =>
        job?.Status?.Conditions?.FirstOrDefault(c => c.Type is "Failed" && c.Status == "True");

    private static string Limit(V1Pod pod) =>
        pod.Spec?.Containers?.FirstOrDefault()?.Resources?.Limits is { } limits && limits.TryGetValue("memory", out var memory) ? $" of {memory}" : "";

    private static string Words(string? reason, string? message) => (reason, message) switch
    {
        (null or "", null or "") => "no reason given",
        (null or "", _) => message!,
        (_, null or "") => reason!,
        _ => $"{reason}: {message}",
    };

    /// <summary>The pod's warning events, as " Warning events: reason: message; …" (the last ten), or empty.</summary>
    private static string Warnings(IReadOnlyList<Corev1Event> events)
    {
        var warnings = events.Where(e => e.Type == "Warning")
            .Select(e => $"{e.Reason}: {e.Message}{(e.Count > 1 ? $" (x{e.Count})" : "")}")
            .Distinct(StringComparer.Ordinal)
            .TakeLast(10)
            .ToList();
        return warnings.Count == 0 ? "" : " Warning events: " + string.Join("; ", warnings) + ".";
    }
}
