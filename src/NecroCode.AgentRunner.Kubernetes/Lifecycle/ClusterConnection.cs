using k8s;
using k8s.Exceptions;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>Opens the API client the settings name: the in-cluster account, a kubeconfig file and context, or the default kubeconfig.</summary>
internal static class ClusterConnection
{
    /// <exception cref="ExecutionEnvironmentException">The configuration could not be read.</exception>
    public static IKubernetes Open(KubernetesOptions options)
    {
        try
        {
            var configuration = options.InCluster
                ? KubernetesClientConfiguration.InClusterConfig()
                : options.KubeconfigPath is not null || options.Context is not null
                    ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath, options.Context)
                    : KubernetesClientConfiguration.BuildDefaultConfig();
            return new k8s.Kubernetes(configuration);
        }
        catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            var source = options.InCluster ? "the in-cluster service account" : $"the kubeconfig '{options.KubeconfigPath ?? "(default)"}'{(options.Context is null ? "" : $", context '{options.Context}'")}";
            throw new ExecutionEnvironmentException($"The Kubernetes client could not be configured from {source} (NecroCode:Kubernetes:KubeconfigPath, Context, InCluster): {ex.Message}", ex);
        }
    }
}
