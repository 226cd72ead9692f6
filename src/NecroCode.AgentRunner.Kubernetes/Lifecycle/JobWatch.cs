using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>
/// Follows one Job and its pods: lists them, then watches the pods from the list's <c>resourceVersion</c>; relists on
/// <c>410 Gone</c>, on a watch the server closed, and every <see cref="KubernetesOptions.PollInterval"/> even while the watch
/// is open (a slow poll behind the watch). Every change is written to <see cref="Snapshots"/>.
/// </summary>
internal sealed partial class JobWatch(IKubernetes client, ClusterCalls calls, string ns, string jobName, TimeSpan pollInterval, TimeProvider time, ILogger logger)
{
    private const int MaxListFailures = 5;
    private readonly Channel<JobSnapshot> _snapshots = Channel.CreateUnbounded<JobSnapshot>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private V1Pod? _lastDeleted;
    private V1Job? _job;

    /// <summary>The Job's state after each change, newest last.</summary>
    public ChannelReader<JobSnapshot> Snapshots => _snapshots.Reader;

    /// <summary>How many times the pods were listed (the first list included).</summary>
    public int Lists { get; private set; }

    private string Selector => Manifests.JobLabels.Job + "=" + jobName;

    /// <summary>Lists and watches until cancelled; failures of the API past its retries end the watch with the error.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var failures = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                string? version;
                try
                {
                    version = await ListAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ++failures < MaxListFailures)
                {
                    // A broken exchange the calls' own retries did not cover (a connection the server left unusable):
                    // the Job is listed again on a fresh attempt; only failures in a row end the watch.
                    Log.ListFailed(logger, jobName, failures, ex.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await WatchAsync(version, cancellationToken).ConfigureAwait(false);
            }

            _snapshots.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _snapshots.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _snapshots.Writer.TryComplete(ex);
        }
    }

    private async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        var list = await calls.RunAsync(ct => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: Selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        Lists++;
        var listed = list.Items.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        foreach (var gone in _pods.Keys.Where(name => !listed.ContainsKey(name)).ToList())
        {
            _lastDeleted = _pods[gone];
            _pods.Remove(gone);
        }

        foreach (var (name, pod) in listed)
        {
            _pods[name] = pod;
        }

        await ReadJobAsync(cancellationToken).ConfigureAwait(false);
        Publish();
        return list.Metadata?.ResourceVersion;
    }

    private async Task WatchAsync(string? version, CancellationToken cancellationToken)
    {
        using var poll = new CancellationTokenSource(pollInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
        Exception? watchError = null;
        var opened = time.GetTimestamp();
        try
        {
            var events = client.CoreV1.WatchListNamespacedPodAsync(
                ns,
                labelSelector: Selector,
                resourceVersion: version,
                allowWatchBookmarks: true,
                timeoutSeconds: Math.Max(1, (int)pollInterval.TotalSeconds),
                onError: ex => watchError = ex,
                cancellationToken: linked.Token);
            await foreach (var (type, pod) in events.ConfigureAwait(false))
            {
                if (watchError is not null || type == WatchEventType.Error)
                {
                    break;
                }

                if (type == WatchEventType.Bookmark || pod?.Metadata?.Name is not { } name)
                {
                    continue;
                }

                if (type == WatchEventType.Deleted)
                {
                    _pods.Remove(name);
                    _lastDeleted = pod;
                }
                else
                {
                    _pods[name] = pod;
                }

                if (type == WatchEventType.Deleted || pod.Status?.Phase is "Failed" or "Succeeded" || pod.Status?.Conditions?.Any(c => c.Type == "DisruptionTarget") == true)
                {
                    await ReadJobAsync(cancellationToken).ConfigureAwait(false);
                }

                Publish();
            }
        }
        catch (OperationCanceledException) when (poll.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The slow poll: list again.
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ClusterCalls.IsTransient(ex) || ClusterCalls.StatusOf(ex) is HttpStatusCode.Gone || ex is k8s.Autorest.HttpOperationException))
        {
            watchError = ex;
        }

        if (watchError is not null)
        {
            Log.WatchEnded(logger, jobName, watchError.Message);
        }

        if (time.GetElapsedTime(opened) < TimeSpan.FromSeconds(1))
        {
            // A watch that ends at once (a server refusing it) is not retried in a tight loop.
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadJobAsync(CancellationToken cancellationToken)
    {
        try
        {
            _job = await calls.RunAsync(ct => client.BatchV1.ReadNamespacedJobAsync(jobName, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            _job = null;
        }
    }

    private void Publish()
    {
        var current = _pods.Values.OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
        _snapshots.Writer.TryWrite(current is not null ? new JobSnapshot(current, _job, false) : new JobSnapshot(_lastDeleted, _job, _lastDeleted is not null));
    }
}
