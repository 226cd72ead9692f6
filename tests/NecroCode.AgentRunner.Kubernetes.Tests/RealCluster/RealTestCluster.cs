using k8s;
using k8s.Autorest;
using k8s.Models;
using NecroCode.AgentRunner.Kubernetes.Manifests;
using NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

namespace NecroCode.AgentRunner.Kubernetes.Tests.RealCluster;

/// <summary>
/// A real cluster named by a kubeconfig. Each sandbox gets a namespace of its own (created, and deleted with everything in it
/// when disposed) unless one is given; in a given namespace only the runner's labelled Jobs and Secrets are deleted.
/// </summary>
internal sealed class RealTestCluster : TestCluster
{
    private readonly RealClusterSettings _settings;
    private readonly bool _ownsNamespace;
    private readonly k8s.Kubernetes _client;

    private RealTestCluster(RealClusterSettings settings, k8s.Kubernetes client, string ns, bool ownsNamespace)
    {
        _settings = settings;
        _client = client;
        Namespace = ns;
        _ownsNamespace = ownsNamespace;
    }

    /// <inheritdoc />
    public override string KubeconfigPath => _settings.Kubeconfig;

    /// <inheritdoc />
    public override string? Context => _settings.Context;

    /// <inheritdoc />
    public override IKubernetes Client => _client;

    /// <inheritdoc />
    public override string Namespace { get; }

    /// <summary>Connects (a cluster that does not answer fails the test: it was asked for) and makes the namespace.</summary>
    public static async Task<RealTestCluster> StartAsync(RealClusterSettings settings)
    {
        var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(settings.Kubeconfig, settings.Context));
        try
        {
            TestContext.Out.WriteLine($"Real cluster at {client.BaseUri}.");
            if (settings.Namespace is { } given)
            {
                await client.BatchV1.ListNamespacedJobAsync(given, labelSelector: JobLabels.Job);
                return new RealTestCluster(settings, client, given, ownsNamespace: false);
            }

            var ns = "necrocode-e2e-" + Guid.NewGuid().ToString("N")[..8];
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["necrocode.dev/test"] = "e2e" } } });
            return new RealTestCluster(settings, client, ns, ownsNamespace: true);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
            client.Dispose();
            Assert.Fail($"KUBECONFIG names {settings.Kubeconfig}, but its cluster did not answer as needed: {ex.Message}");
            throw;
        }
    }

    /// <inheritdoc />
    public override Task DeletePodFromOutsideAsync(string name) =>
        _client.CoreV1.DeleteNamespacedPodAsync(name, Namespace, gracePeriodSeconds: 0);

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> StillRunningAsync()
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: JobLabels.Job);
        return [.. pods.Items.Select(p => $"{p.Metadata.Name} ({p.Status?.Phase})")];
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_ownsNamespace)
            {
                await _client.CoreV1.DeleteNamespaceAsync(Namespace, propagationPolicy: "Background");
            }
            else
            {
                await _client.BatchV1.DeleteCollectionNamespacedJobAsync(Namespace, labelSelector: JobLabels.Job, propagationPolicy: "Background");
                await _client.CoreV1.DeleteCollectionNamespacedSecretAsync(Namespace, labelSelector: JobLabels.Job);
            }
        }
        catch (HttpOperationException ex)
        {
            TestContext.Out.WriteLine($"Could not clean namespace {Namespace}: {ex.Message}");
        }
        finally
        {
            _client.Dispose();
        }
    }
}
