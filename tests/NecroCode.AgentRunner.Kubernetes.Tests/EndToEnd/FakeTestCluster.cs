using k8s;
using NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>The fake cluster in this process, whose kubelet runs pods on the Docker engine with host networking.</summary>
internal sealed class FakeTestCluster : TestCluster
{
    private FakeTestCluster(FakeKubernetesCluster fake) => Fake = fake;

    /// <summary>The fake cluster itself, for the faults only it can inject.</summary>
    public FakeKubernetesCluster Fake { get; }

    /// <inheritdoc />
    public override string KubeconfigPath => Fake.KubeconfigPath;

    /// <inheritdoc />
    public override string? Context => null;

    /// <inheritdoc />
    public override IKubernetes Client => Fake.Client;

    /// <inheritdoc />
    public override string Namespace => "default";

    /// <summary>Starts a fake cluster whose kubelet uses the local Docker engine.</summary>
    /// <returns>The cluster.</returns>
    public static async Task<FakeTestCluster> StartAsync() => new(await FakeKubernetesCluster.StartAsync(new FakeClusterOptions()));

    /// <inheritdoc />
    public override Task DeletePodFromOutsideAsync(string name)
    {
        Fake.Faults.DeletePodFromOutside(Namespace, name);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<string>> StillRunningAsync() => Fake.RunningContainersAsync();

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => Fake.DisposeAsync();
}
