using System.Globalization;
using Docker.DotNet;
using k8s;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// A small Kubernetes cluster in the test process: an API server on 127.0.0.1 speaking the real REST and watch protocol
/// for jobs, pods (and their logs), secrets and events, a job controller with the garbage collector, and a stand-in
/// kubelet that runs each pod's containers on the real Docker engine. Clients reach it through <see cref="KubeconfigPath"/>.
/// Disposing it stops and removes every container it started and deletes its temporary files.
/// </summary>
public sealed class FakeKubernetesCluster : IAsyncDisposable
{
    private readonly ApiServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly string _directory;
    private DockerClient? _docker;
    private FakeKubelet? _kubelet;

    private FakeKubernetesCluster(FakeClusterOptions options, string directory)
    {
        Options = options;
        _directory = directory;
        InstanceId = Guid.NewGuid().ToString("N")[..12];
        Store = new ClusterStore(options.TimeProvider, options.WatchHistoryLimit);
        Events = new ClusterEvents(Store, options.NodeName);
        Pods = new PodLifecycle(Store, Events, kubeletRuns: options.DockerEndpoint is not null);
        var collector = new GarbageCollector(Store, Pods);
        Faults = new ClusterFaults(Store, Pods);
        Logs = new PodLogEndpoint(Store, Faults, options.TimeProvider);
        Jobs = new JobController(Store, Events, Pods, collector, options);
        _server = new ApiServer(new ObjectHandlers(Store, collector, Pods), new WatchStream(Store, options.TimeProvider), Logs, Faults);
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
    }

    /// <summary>A kubeconfig file naming this cluster: context <c>fake</c>, namespace <c>default</c>, a bearer token.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The API server's base address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Server => _server.BaseAddress;

    /// <summary>A client of this cluster, for a test's arrangements and assertions.</summary>
    public IKubernetes Client { get; private set; } = null!;

    /// <summary>Fault injection: failed requests, closed watches, expired history, pods deleted or evicted, dropped log streams.</summary>
    public ClusterFaults Faults { get; }

    /// <summary>The value of the <c>necrocode.fake-cluster</c> label on every container this cluster starts.</summary>
    public string InstanceId { get; }

    internal FakeClusterOptions Options { get; }

    internal ClusterStore Store { get; }

    internal ClusterEvents Events { get; }

    internal PodLifecycle Pods { get; }

    internal PodLogEndpoint Logs { get; }

    internal JobController Jobs { get; }

    /// <summary>Starts the API server and the controllers (and the kubelet when <see cref="FakeClusterOptions.DockerEndpoint"/> is set).</summary>
    /// <param name="options">The node and timing settings; defaults when null.</param>
    /// <returns>The running cluster.</returns>
    public static async Task<FakeKubernetesCluster> StartAsync(FakeClusterOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "necrocode-fake-kube-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var cluster = new FakeKubernetesCluster(options ?? new FakeClusterOptions(), directory);
        try
        {
            await cluster._server.StartAsync().ConfigureAwait(false);
            await File.WriteAllTextAsync(cluster.KubeconfigPath, Kubeconfig(cluster.Server)).ConfigureAwait(false);
            cluster.Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
            cluster._loops.Add(Task.Run(() => cluster.Jobs.RunAsync(cluster._stopping.Token)));
            if (cluster.Options.DockerEndpoint is { } endpoint)
            {
                cluster.StartKubelet(endpoint);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The ids of the engine containers of this cluster that still exist (running or not).</summary>
    /// <returns>Container ids; empty when no kubelet runs.</returns>
    public Task<IReadOnlyList<string>> RunningContainersAsync() => _kubelet?.ContainersAsync() ?? Task.FromResult<IReadOnlyList<string>>([]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        if (_kubelet is not null)
        {
            await _kubelet.StopAsync().ConfigureAwait(false);
        }

        _docker?.Dispose();
        Store.CloseWatches();
        (Client as IDisposable)?.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean
        }
    }

    private void StartKubelet(Uri endpoint)
    {
        using (var configuration = new DockerClientConfiguration(endpoint))
        {
            _docker = configuration.CreateClient();
        }

        var pods = Path.Combine(_directory, "pods");
        Directory.CreateDirectory(pods);
        var context = new KubeletContext(Store, Events, _docker, new ContainerFactory(Store, _docker, InstanceId, Server), Options, pods);
        _kubelet = new FakeKubelet(context, InstanceId);
        Logs.Node = _kubelet;
        _loops.Add(Task.Run(() => _kubelet.RunAsync(_stopping.Token)));
    }

    private static string Kubeconfig(Uri server) => string.Format(
        CultureInfo.InvariantCulture,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {0}
        contexts:
        - name: fake
          context:
            cluster: fake
            namespace: default
            user: fake
        current-context: fake
        users:
        - name: fake
          user:
            token: fake-cluster-token
        """,
        server.AbsoluteUri.TrimEnd('/'));
}
