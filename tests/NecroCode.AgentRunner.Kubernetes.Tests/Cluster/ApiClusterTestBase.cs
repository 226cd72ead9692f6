using k8s;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>A fake cluster without a kubelet (pods stay Pending, unscheduled) for the API server's own tests.</summary>
public abstract class ApiClusterTestBase
{
    /// <summary>The running cluster.</summary>
    protected FakeKubernetesCluster Cluster { get; private set; } = null!;

    /// <summary>The cluster's client.</summary>
    protected IKubernetes Client => Cluster.Client;

    [SetUp]
    public async Task StartClusterAsync() => Cluster = await FakeKubernetesCluster.StartAsync(new FakeClusterOptions { DockerEndpoint = null });

    [TearDown]
    public async Task StopClusterAsync() => await Cluster.DisposeAsync();
}
