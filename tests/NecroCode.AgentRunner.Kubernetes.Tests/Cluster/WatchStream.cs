using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// <c>?watch=true</c>: a chunked stream of <c>{"type":…,"object":…}</c> lines from a <c>resourceVersion</c> (none or 0:
/// the current objects as ADDED first), BOOKMARKs when asked for, an ERROR event with a 410 <c>Status</c> when the version
/// is older than the kept history, and the end of the stream after <c>timeoutSeconds</c>.
/// </summary>
internal sealed class WatchStream(ClusterStore store, TimeProvider time)
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(5);

    public async Task ServeAsync(HttpContext context, ApiRoute route)
    {
        var query = context.Request.Query;
        var selectors = Selectors.Parse(route.Resource.Plural, query["labelSelector"], query["fieldSelector"]);
        long? from = query["resourceVersion"] is [{ Length: > 0 } given] && given != "0"
            ? long.TryParse(given, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw ApiError.BadRequest($"invalid resource version: {given}")
            : null;
        var timeout = query["timeoutSeconds"] is [{ } seconds] && int.TryParse(seconds, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromMinutes(30);
        var bookmarks = query["allowWatchBookmarks"] is ["true" or "1"];

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        StoreWatch watch;
        try
        {
            watch = store.Watch(route.Resource, route.Namespace, from);
        }
        catch (ApiError expired) when (expired.Code == 410)
        {
            await WriteLineAsync(context, "ERROR", expired.ToStatus()).ConfigureAwait(false);
            return;
        }

        using (watch)
        {
            using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            ends.CancelAfter(timeout);
            try
            {
                await PumpAsync(context, route, watch, selectors, bookmarks, ends.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                // timeoutSeconds elapsed: the stream ends as a real server ends it.
            }
        }
    }

    private async Task PumpAsync(HttpContext context, ApiRoute route, StoreWatch watch, Selectors selectors, bool bookmarks, CancellationToken cancellationToken)
    {
        var lastWrite = time.GetTimestamp();
        while (true)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            tick.CancelAfter(BookmarkInterval);
            bool more;
            try
            {
                more = await watch.Records.WaitToReadAsync(tick.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                more = true;
            }

            if (!more)
            {
                return;
            }

            while (watch.Records.TryRead(out var record))
            {
                var item = JsonNode.Parse(record.Json)!.AsObject();
                if (selectors.Matches(item))
                {
                    await WriteLineAsync(context, record.Type, item).ConfigureAwait(false);
                    lastWrite = time.GetTimestamp();
                }
            }

            if (bookmarks && time.GetElapsedTime(lastWrite) >= BookmarkInterval)
            {
                var version = store.Version;
                if (!watch.Records.TryPeek(out _))
                {
                    var bookmark = new JsonObject
                    {
                        ["kind"] = route.Resource.Kind,
                        ["apiVersion"] = route.Resource.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
                    };
                    await WriteLineAsync(context, "BOOKMARK", bookmark).ConfigureAwait(false);
                    lastWrite = time.GetTimestamp();
                }
            }
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string type, JsonObject item)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = item }.ToJsonString() + "\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
