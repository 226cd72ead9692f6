using Docker.DotNet.Models;
using k8s;
using k8s.Models;
using NecroCode.AgentRunner.Docker.Tests;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// A fake cluster whose kubelet runs on the real engine (a node labelled <c>pool=general</c>, tainted
/// <c>dedicated=runners:NoSchedule</c>), and the check after each test that it left no container behind.
/// </summary>
public abstract class KubeletTestBase
{
    /// <summary>The running cluster.</summary>
    protected FakeKubernetesCluster Cluster { get; private set; } = null!;

    /// <summary>The test image.</summary>
    protected string Image { get; private set; } = null!;

    /// <summary>The cluster's client.</summary>
    protected IKubernetes Client => Cluster.Client;

    [SetUp]
    public async Task StartClusterAsync()
    {
        Image = await DockerTestEngine.RequireImageAsync();
        var options = new FakeClusterOptions { DockerEndpoint = new Uri(DockerTestEngine.Endpoint) };
        options.NodeLabels["pool"] = "general";
        options.NodeTaints.Add(new V1Taint { Key = "dedicated", Value = "runners", Effect = "NoSchedule" });
        Cluster = await FakeKubernetesCluster.StartAsync(options);
    }

    [TearDown]
    public async Task StopClusterAsync()
    {
        if (Cluster is null)
        {
            return;
        }

        var instance = Cluster.InstanceId;
        await Cluster.DisposeAsync();
        using var docker = DockerTestEngine.CreateClient();
        var left = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"necrocode.fake-cluster={instance}"] = true } },
        });
        Assert.That(left, Is.Empty, "the cluster left containers in the engine");
    }

    protected async Task<string> ReadLogAsync(V1Pod pod, bool timestamps = false, int? tailLines = null)
    {
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "default", container: "main", timestamps: timestamps, tailLines: tailLines);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
