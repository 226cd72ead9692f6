using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// <c>PUT</c> (replace, with the <c>resourceVersion</c> precondition: 409 Conflict when stale) and <c>PATCH</c>
/// (<c>merge-patch+json</c>; <c>strategic-merge-patch+json</c> treated as a merge patch; <c>json-patch+json</c> add,
/// replace, remove, test) of an object or its <c>status</c>. The main resource keeps its status, the status subresource
/// keeps everything else; identity fields (uid, name, namespace, creationTimestamp) are kept; the result is read strictly.
/// </summary>
internal sealed class ObjectUpdates(ClusterStore store)
{
    public async Task UpdateAsync(HttpContext context, ApiRoute route, bool patch)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var contentType = context.Request.ContentType ?? "application/json";
        var strict = context.Request.Query["fieldValidation"] is not ["Ignore" or "Warn"];
        if (patch && contentType.StartsWith("application/apply-patch", StringComparison.Ordinal))
        {
            throw new ApiError(415, "UnsupportedMediaType", "server-side apply is not served by the fake cluster");
        }

        JsonNode? input;
        try
        {
            input = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw ApiError.BadRequest($"the body of the request was in an unknown format: {ex.Message}");
        }

        ApiError? failure = null;
        var updated = store.UpdateJson(route.Resource, route.Namespace!, route.Name!, current =>
        {
            try
            {
                return Apply(route, current, input, patch, contentType, strict);
            }
            catch (ApiError error)
            {
                failure = error;
                return current;
            }
        });
        if (failure is not null)
        {
            throw failure;
        }

        await ApiServer.WriteJsonAsync(context, 200, updated ?? throw ApiError.NotFound(route.Resource, route.Name!)).ConfigureAwait(false);
    }

    private static JsonObject Apply(ApiRoute route, JsonObject current, JsonNode? input, bool patch, string contentType, bool strict)
    {
        JsonObject next;
        if (!patch)
        {
            next = input as JsonObject ?? throw ApiError.BadRequest("the body of the request was in an unknown format");
            if (next["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } version && version != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw ApiError.Conflict(route.Resource, route.Name!, "the object has been modified; please apply your changes to the latest version and try again");
            }
        }
        else if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
        {
            next = JsonPatch(current.DeepClone().AsObject(), input as JsonArray ?? throw ApiError.BadRequest("a JSON patch must be an array"));
        }
        else
        {
            next = (JsonObject)MergePatch(current.DeepClone(), input)!;
        }

        var kept = current.DeepClone().AsObject();
        if (route.Subresource == "status")
        {
            kept["status"] = next["status"]?.DeepClone();
            next = kept;
        }
        else
        {
            next.Remove("status");
            if (kept["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }

            var metadata = next["metadata"] as JsonObject ?? throw ApiError.BadRequest("metadata is required");
            foreach (var field in new[] { "uid", "name", "namespace", "creationTimestamp", "deletionTimestamp", "generation" })
            {
                metadata[field] = kept["metadata"]![field]?.DeepClone();
            }

            next["kind"] = route.Resource.Kind;
            next["apiVersion"] = route.Resource.ApiVersion;
        }

        KubeJson.ReadStrict(next.ToJsonString(), route.Resource.ModelType, strict);
        return next;
    }

    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var existing = result[key];
                result.Remove(key);
                result[key] = MergePatch(existing?.DeepClone(), value);
            }
        }

        return result;
    }

    private static JsonObject JsonPatch(JsonObject document, JsonArray operations)
    {
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>();
            var path = (operation["path"]?.GetValue<string>() ?? "").Split('/').Skip(1).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            if (path.Count == 0)
            {
                throw ApiError.BadRequest("the JSON patch has an empty path");
            }

            JsonNode parent = document;
            foreach (var part in path.Take(path.Count - 1))
            {
                parent = (parent is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : parent[part])
                    ?? throw new ApiError(422, "Invalid", $"the JSON patch path {operation["path"]} does not exist");
            }

            var last = path[^1];
            var value = operation["value"]?.DeepClone();
            switch (op, parent)
            {
                case ("test", _):
                    if (!JsonNode.DeepEquals(parent is JsonArray a0 ? a0[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] : parent[last], value))
                    {
                        throw new ApiError(422, "Invalid", $"the JSON patch test failed at {operation["path"]}");
                    }

                    break;
                case ("remove", JsonArray a1):
                    a1.RemoveAt(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case ("remove", JsonObject o1):
                    o1.Remove(last);
                    break;
                case ("add", JsonArray a2):
                    if (last == "-")
                    {
                        a2.Add(value);
                    }
                    else
                    {
                        a2.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), value);
                    }

                    break;
                case ("add" or "replace", JsonObject o2):
                    o2[last] = value;
                    break;
                case ("replace", JsonArray a3):
                    a3[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
                    break;
                default:
                    throw ApiError.BadRequest($"the JSON patch operation \"{op}\" is not supported");
            }
        }

        return document;
    }
}
