using System.Globalization;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// <c>GET pods/{name}/log</c> with <c>container</c>, <c>follow</c>, <c>sinceTime</c>, <c>sinceSeconds</c>,
/// <c>timestamps</c>, <c>tailLines</c> and <c>limitBytes</c>, served from the node's container output as plain text.
/// </summary>
internal sealed class PodLogEndpoint(ClusterStore store, ClusterFaults faults, TimeProvider time)
{
    /// <summary>The node's log source; null when no kubelet runs (every container is then waiting).</summary>
    public IPodLogs? Node { get; set; }

    public async Task ServeAsync(HttpContext context, ApiRoute route)
    {
        var pod = store.Get<V1Pod>(ResourceInfo.Pods, route.Namespace!, route.Name!) ?? throw ApiError.NotFound(route.Resource, route.Name!);
        var query = context.Request.Query;
        var names = pod.Spec.Containers.Select(c => c.Name).ToList();
        var container = query["container"] is [{ Length: > 0 } given] ? given
            : names.Count == 1 ? names[0]
            : throw ApiError.BadRequest($"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(' ', names)}]");
        if (!names.Contains(container))
        {
            throw ApiError.BadRequest($"container {container} is not valid for pod {pod.Metadata.Name}");
        }

        DateTimeOffset? since = null;
        if (query["sinceTime"] is [{ Length: > 0 } sinceTime])
        {
            since = DateTimeOffset.TryParse(sinceTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw ApiError.BadRequest($"sinceTime: Invalid value: \"{sinceTime}\": must be RFC3339");
        }

        if (query["sinceSeconds"] is [{ Length: > 0 } sinceSeconds])
        {
            since = long.TryParse(sinceSeconds, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && since is null
                ? time.GetUtcNow().AddSeconds(-seconds)
                : throw ApiError.Invalid(ResourceInfo.Pods, pod.Metadata.Name, [("sinceSeconds", "FieldValueInvalid", $"Invalid value: \"{sinceSeconds}\": must be greater than 0 and at most one of sinceSeconds or sinceTime")]);
        }

        var logQuery = new PodLogQuery(
            container,
            query["follow"] is ["true" or "1"],
            since,
            query["timestamps"] is ["true" or "1"],
            query["tailLines"] is [{ } tail] && long.TryParse(tail, CultureInfo.InvariantCulture, out var lines) ? lines : null,
            query["limitBytes"] is [{ } limit] && long.TryParse(limit, CultureInfo.InvariantCulture, out var bytes) ? bytes : null);
        if (Node is null)
        {
            throw ApiError.BadRequest($"container \"{container}\" in pod \"{pod.Metadata.Name}\" is waiting to start: ContainerCreating");
        }

        faults.TrackLogStream(context);
        try
        {
            await Node.WriteAsync(pod, logQuery, context.Response.Body, async () =>
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/plain";
                await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            }, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            faults.UntrackLogStream(context);
        }
    }
}
