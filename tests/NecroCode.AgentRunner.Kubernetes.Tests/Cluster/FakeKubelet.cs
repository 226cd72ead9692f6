using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// The stand-in kubelet of the one node: a <see cref="PodWorker"/> per pod, the containers' logs for
/// <c>pods/{name}/log</c>, and the clean-up of every container carrying the cluster's label.
/// </summary>
internal sealed class FakeKubelet(KubeletContext context, string instanceId) : IPodLogs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (PodWorker Worker, Task Run)> _workers = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changes = context.Store.Listen();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var pod in context.Store.List<V1Pod>(ResourceInfo.Pods, null))
            {
                lock (_gate)
                {
                    if (!_workers.ContainsKey(pod.Metadata.Uid) && pod.Status?.Phase is not ("Succeeded" or "Failed"))
                    {
                        var worker = new PodWorker(context, pod);
                        _workers[pod.Metadata.Uid] = (worker, Task.Run(() => worker.RunAsync(cancellationToken), CancellationToken.None));
                    }
                }
            }

            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            tick.CancelAfter(context.Options.ResyncInterval);
            try
            {
                await changes.WaitToReadAsync(tick.Token).ConfigureAwait(false);
                changes.TryRead(out _);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // resync
            }
        }
    }

    /// <summary>Waits for every pod worker to end (after cancellation), then removes any container left with the cluster's label.</summary>
    public async Task StopAsync()
    {
        Task[] runs;
        lock (_gate)
        {
            runs = [.. _workers.Values.Select(w => w.Run)];
        }

        try
        {
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DockerApiException or HttpRequestException)
        {
            // the workers' clean-up ran in their finally blocks; what is left is removed below
        }

        foreach (var id in await ContainersAsync().ConfigureAwait(false))
        {
            try
            {
                await context.Docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                // gone meanwhile
            }
        }
    }

    /// <summary>The ids of the engine containers with this cluster's label (running or not).</summary>
    public async Task<IReadOnlyList<string>> ContainersAsync()
    {
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerFactory.ClusterLabel}={instanceId}"] = true } };
        var containers = await context.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, CancellationToken.None).ConfigureAwait(false);
        return [.. containers.Select(c => c.ID)];
    }

    public async Task WriteAsync(V1Pod pod, PodLogQuery query, Stream output, Func<Task> started, CancellationToken cancellationToken)
    {
        PodWorker? worker;
        lock (_gate)
        {
            worker = _workers.GetValueOrDefault(pod.Metadata.Uid).Worker;
        }

        var id = worker?.ContainerId(query.Container) ?? throw NotStarted(pod, query.Container);
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = query.Follow,
            Timestamps = query.Timestamps,
            Tail = query.TailLines?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Since = query.Since is { } since ? (since.ToUnixTimeMilliseconds() / 1000m).ToString("0.000", CultureInfo.InvariantCulture) : null,
        };
        MultiplexedStream stream;
        try
        {
            stream = await context.Docker.Containers.GetContainerLogsAsync(id, false, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            throw ApiError.BadRequest($"container \"{query.Container}\" in pod \"{pod.Metadata.Name}\" is terminated");
        }

        using (stream)
        {
            await started().ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            var left = query.LimitBytes ?? long.MaxValue;
            while (left > 0)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                if (read.EOF)
                {
                    break;
                }

                var count = (int)Math.Min(read.Count, left);
                left -= count;
                await output.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static ApiError NotStarted(V1Pod pod, string container)
    {
        var waiting = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container)?.State?.Waiting?.Reason ?? "ContainerCreating";
        var why = waiting switch
        {
            "ErrImagePull" or "ImagePullBackOff" => "trying and failing to pull image",
            "InvalidImageName" => "image can't be pulled",
            _ => waiting,
        };
        return ApiError.BadRequest($"container \"{container}\" in pod \"{pod.Metadata.Name}\" is waiting to start: {why}");
    }
}
