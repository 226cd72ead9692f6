using NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

namespace NecroCode.AgentRunner.Kubernetes.Tests.RealCluster;

/// <summary>
/// The end-to-end cases of <see cref="ClusterCases"/> on a real cluster: opt-in, when <c>KUBECONFIG</c> names one and the
/// suite's variables say which image it runs and where its pods reach this machine (see <c>README.md</c> beside this file).
/// Without them every case is ignored, saying so. Select the suite alone with <c>--filter Category=RealCluster</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("RealCluster")]
public sealed class RealClusterTests : ClusterCases
{
    internal override Task<KubernetesSandbox> StartAsync()
    {
        var settings = RealClusterSettings.Require();
        var connection = KubernetesSandbox.Require("NECROCODE_POSTGRES_TEST", "a PostgreSQL server the pods can reach too");
        var endpoint = KubernetesSandbox.Require("NECROCODE_S3_TEST_ENDPOINT", "an S3 server the pods can reach too");
        var pods = new PodSide(settings.Image, settings.PullPolicy, settings.HostAddress, settings.PodConnectionString(connection), settings.PodS3Endpoint(endpoint));
        return KubernetesSandbox.StartAsync(connection, endpoint, pods, async () => await RealTestCluster.StartAsync(settings));
    }
}
