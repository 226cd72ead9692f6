using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Faults injected into a <see cref="FakeKubernetesCluster"/>, each shown to clients as a real cluster shows it.</summary>
public sealed class ClusterFaults
{
    private readonly ClusterStore _store;
    private readonly PodLifecycle _pods;
    private readonly Lock _gate = new();
    private readonly List<PlannedFailure> _failures = [];
    private readonly ConcurrentDictionary<HttpContext, byte> _logStreams = new();

    internal ClusterFaults(ClusterStore store, PodLifecycle pods)
    {
        _store = store;
        _pods = pods;
    }

    /// <summary>Ends every open watch stream (the client sees its watch end without an error).</summary>
    public void CloseWatches() => _store.CloseWatches();

    /// <summary>Forgets the watch history: the next watch from an older <c>resourceVersion</c> gets a 410 <c>Expired</c> ERROR event.</summary>
    public void ExpireWatchHistory() => _store.ExpireHistory();

    /// <summary>
    /// Answers the next <paramref name="count"/> requests of <paramref name="verb"/> (<c>get</c>, <c>list</c>, <c>watch</c>,
    /// <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>) on <paramref name="resource"/> (<c>jobs</c>, <c>pods</c>,
    /// <c>pods/log</c>, <c>secrets</c>, <c>events</c>, <c>jobs/status</c>) with <paramref name="statusCode"/> and a <c>Status</c>
    /// body; a 429 also carries <c>Retry-After</c> (<paramref name="retryAfter"/>, default 1 s).
    /// </summary>
    public void FailNext(string verb, string resource, int statusCode, int count = 1, TimeSpan? retryAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(verb);
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _failures.Add(new PlannedFailure(verb, resource, statusCode, count, retryAfter ?? TimeSpan.FromSeconds(1)));
        }
    }

    /// <summary>Deletes a pod at once (grace period 0), as someone with <c>kubectl delete --force</c> would; its container is killed.</summary>
    public void DeletePodFromOutside(string ns, string name) => _pods.Delete(ns, name, gracePeriodSeconds: 0);

    /// <summary>Evicts a pod as the kubelet does under node pressure: killed, phase <c>Failed</c>, reason <c>Evicted</c>, condition <c>DisruptionTarget</c>.</summary>
    public void EvictPod(string ns, string name) => _pods.Evict(ns, name);

    /// <summary>Drops every open <c>pods/log</c> stream (the connection is cut mid-stream).</summary>
    public void DropLogStreams()
    {
        foreach (var context in _logStreams.Keys)
        {
            context.Abort();
        }
    }

    internal void TrackLogStream(HttpContext context) => _logStreams[context] = 0;

    internal void UntrackLogStream(HttpContext context) => _logStreams.TryRemove(context, out _);

    /// <summary>The planned failure for this request, if one is due.</summary>
    internal ApiError? Take(string verb, string resource)
    {
        lock (_gate)
        {
            var index = _failures.FindIndex(f => string.Equals(f.Verb, verb, StringComparison.OrdinalIgnoreCase) && string.Equals(f.Resource, resource, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var failure = _failures[index];
            _failures[index] = failure with { Count = failure.Count - 1 };
            if (failure.Count <= 1)
            {
                _failures.RemoveAt(index);
            }

            return ToError(failure);
        }
    }

    private static ApiError ToError(PlannedFailure failure)
    {
        var seconds = (int)Math.Ceiling(failure.RetryAfter.TotalSeconds);
        return failure.StatusCode switch
        {
            429 => new ApiError(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = seconds }) { RetryAfterSeconds = seconds },
            500 => new ApiError(500, "InternalError", "Internal error occurred: etcdserver: request timed out"),
            503 => new ApiError(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => new ApiError(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
            409 => new ApiError(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again"),
            403 => new ApiError(403, "Forbidden", $"{failure.Resource} is forbidden: User \"system:serviceaccount:default:runner\" cannot {failure.Verb} resource \"{failure.Resource}\""),
            _ => new ApiError(failure.StatusCode, "", $"injected failure {failure.StatusCode}"),
        };
    }

    private sealed record PlannedFailure(string Verb, string Resource, int StatusCode, int Count, TimeSpan RetryAfter);
}
