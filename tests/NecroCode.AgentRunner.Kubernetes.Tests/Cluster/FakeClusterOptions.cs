using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>How a <see cref="FakeKubernetesCluster"/> is set up.</summary>
public sealed class FakeClusterOptions
{
    /// <summary>The Docker engine the kubelet runs pods on; null runs no kubelet (pods stay Pending, unscheduled). Default the local socket.</summary>
    public Uri? DockerEndpoint { get; set; } = new("unix:///var/run/docker.sock");

    /// <summary>The one node's name. Default <c>fake-node</c>.</summary>
    public string NodeName { get; set; } = "fake-node";

    /// <summary>The node's labels (matched against a pod's <c>nodeSelector</c>). <c>kubernetes.io/hostname</c> and <c>kubernetes.io/os</c> are always there.</summary>
    public IDictionary<string, string> NodeLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The node's taints (a pod must tolerate the NoSchedule/NoExecute ones).</summary>
    public IList<V1Taint> NodeTaints { get; } = [];

    /// <summary>Changes kept for watches; a watch from an older version answers 410 Gone. Default 1000.</summary>
    public int WatchHistoryLimit { get; set; } = 1000;

    /// <summary>How often the controllers look again without a change (deadlines, back-off, TTL). Default 100 ms.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The wait before a failed pod is replaced (the job controller's back-off). Default 1 s (10 s on a real cluster).</summary>
    public TimeSpan PodReplacementBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a missing image shows <c>ErrImagePull</c> before <c>ImagePullBackOff</c>. Default 1 s.</summary>
    public TimeSpan ImagePullBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock of the control plane. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
