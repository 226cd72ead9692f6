using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>The scheduler's decision for the one node: the pod's <c>nodeSelector</c> against the node's labels, its tolerations against the node's taints.</summary>
internal static class PodScheduler
{
    private const string Preemption = " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

    /// <summary>Null when the pod fits the node, else the scheduler's message (as in <c>PodScheduled=False</c> and <c>FailedScheduling</c>).</summary>
    public static string? Check(V1Pod pod, FakeClusterOptions options)
    {
        var labels = NodeLabels(options);
        if (pod.Spec.NodeSelector?.Any(s => !labels.TryGetValue(s.Key, out var value) || value != s.Value) == true)
        {
            return "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." + Preemption;
        }

        var untolerated = options.NodeTaints.FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute" && pod.Spec.Tolerations?.Any(o => Tolerates(o, t)) != true);
        return untolerated is null ? null : $"0/1 nodes are available: 1 node(s) had untolerated taint {{{untolerated.Key}: {untolerated.Value}}}." + Preemption;
    }

    public static Dictionary<string, string> NodeLabels(FakeClusterOptions options)
    {
        var labels = new Dictionary<string, string>(options.NodeLabels, StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = options.NodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        return labels;
    }

    private static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (toleration.Effect is { Length: > 0 } effect && effect != taint.Effect)
        {
            return false;
        }

        return toleration.OperatorProperty == "Exists"
            ? string.IsNullOrEmpty(toleration.Key) || toleration.Key == taint.Key
            : toleration.Key == taint.Key && (toleration.Value ?? "") == (taint.Value ?? "");
    }
}
