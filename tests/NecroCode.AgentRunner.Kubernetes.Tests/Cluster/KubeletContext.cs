using Docker.DotNet;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>What every pod worker of the kubelet shares.</summary>
internal sealed record KubeletContext(
    ClusterStore Store,
    ClusterEvents Events,
    DockerClient Docker,
    ContainerFactory Factory,
    FakeClusterOptions Options,
    string Directory)
{
    public TimeProvider Time => Options.TimeProvider;
}
