using Npgsql;

namespace NecroCode.AgentRunner.Kubernetes.Tests.RealCluster;

/// <summary>
/// What the real-cluster suite needs, from the environment. The suite is opt-in: it runs only when <c>KUBECONFIG</c> names a
/// kubeconfig file and <c>NECROCODE_K8S_TEST_IMAGE</c> and <c>NECROCODE_K8S_TEST_HOST_ADDRESS</c> say which image the
/// cluster runs and where its pods reach this machine; otherwise each test is ignored with the reason (also in CI: no cluster
/// can run there). See <c>README.md</c> beside this file.
/// </summary>
/// <param name="Kubeconfig">The kubeconfig file (the first of <c>KUBECONFIG</c>'s list).</param>
/// <param name="Context">The context to use (<c>NECROCODE_K8S_TEST_CONTEXT</c>); null for the file's current one.</param>
/// <param name="Namespace">A namespace to use as is (<c>NECROCODE_K8S_TEST_NAMESPACE</c>); null: one is created per test and deleted after.</param>
/// <param name="Image">The runner image the cluster can pull or already has (<c>NECROCODE_K8S_TEST_IMAGE</c>).</param>
/// <param name="PullPolicy">Its pull policy (<c>NECROCODE_K8S_TEST_PULL_POLICY</c>, default <c>IfNotPresent</c>).</param>
/// <param name="HostAddress">The address at which pods reach this machine (<c>NECROCODE_K8S_TEST_HOST_ADDRESS</c>).</param>
internal sealed record RealClusterSettings(string Kubeconfig, string? Context, string? Namespace, string Image, string PullPolicy, string HostAddress)
{
    /// <summary>The settings, or the test ignored saying which variable is missing.</summary>
    public static RealClusterSettings Require()
    {
        var kubeconfig = (Variable("KUBECONFIG") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (kubeconfig is null || !File.Exists(kubeconfig))
        {
            Assert.Ignore("The real-cluster suite is opt-in: KUBECONFIG does not name a kubeconfig file (see RealCluster/README.md).");
        }

        return new RealClusterSettings(
            kubeconfig!,
            Variable("NECROCODE_K8S_TEST_CONTEXT"),
            Variable("NECROCODE_K8S_TEST_NAMESPACE"),
            Needed("NECROCODE_K8S_TEST_IMAGE", "the runner image the cluster runs"),
            Variable("NECROCODE_K8S_TEST_PULL_POLICY") ?? "IfNotPresent",
            Needed("NECROCODE_K8S_TEST_HOST_ADDRESS", "the address at which pods reach this machine"));
    }

    /// <summary>
    /// The PostgreSQL connection string for the pods: <c>NECROCODE_K8S_TEST_POSTGRES</c>, else the host's with its host
    /// replaced by <see cref="HostAddress"/> (the server must listen there).
    /// </summary>
    public string PodConnectionString(string hostConnectionString) =>
        Variable("NECROCODE_K8S_TEST_POSTGRES") ?? new NpgsqlConnectionStringBuilder(hostConnectionString) { Host = HostAddress }.ConnectionString;

    /// <summary>The S3 endpoint for the pods: <c>NECROCODE_K8S_TEST_S3_ENDPOINT</c>, else the host's with its host replaced by <see cref="HostAddress"/>.</summary>
    public string PodS3Endpoint(string hostEndpoint) =>
        Variable("NECROCODE_K8S_TEST_S3_ENDPOINT") ?? new UriBuilder(hostEndpoint) { Host = HostAddress }.Uri.AbsoluteUri.TrimEnd('/');

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static string Needed(string name, string what)
    {
        if (Variable(name) is { } value)
        {
            return value;
        }

        Assert.Ignore($"KUBECONFIG names a cluster, but {name} ({what}) is not set: the real-cluster suite needs it (see RealCluster/README.md).");
        return "";
    }
}
