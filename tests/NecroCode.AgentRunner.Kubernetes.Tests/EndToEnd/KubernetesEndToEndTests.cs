namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// The end-to-end cases on the fake cluster: the host creates the Job, the kubelet runs the real <c>necrocode-runner</c> of
/// the test image on the Docker engine, which clones origin over smart HTTP, pushes, and writes to the shared PostgreSQL
/// registry and S3 store; the host settles the run and verifies the push.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KubernetesEndToEndTests : ClusterCases;
