using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>get, list, create and delete of the served resources, answered as the API server answers them.</summary>
internal sealed class ObjectHandlers(ClusterStore store, GarbageCollector collector, PodLifecycle pods)
{
    private const string OrphanWarning = "299 - \"child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning\"";

    public Task GetAsync(HttpContext context, ApiRoute route)
    {
        var json = store.GetJson(route.Resource, route.Namespace!, route.Name!) ?? throw ApiError.NotFound(route.Resource, route.Name!);
        return ApiServer.WriteJsonAsync(context, 200, json);
    }

    public Task ListAsync(HttpContext context, ApiRoute route)
    {
        var query = context.Request.Query;
        var selectors = Selectors.Parse(route.Resource.Plural, query["labelSelector"], query["fieldSelector"]);
        if (query["resourceVersionMatch"] == "Exact" && long.TryParse(query["resourceVersion"], CultureInfo.InvariantCulture, out var exact))
        {
            store.EnsureNotExpired(exact);
        }

        var (items, version) = store.ListJson(route.Resource, route.Namespace);
        var array = new JsonArray();
        foreach (var json in items)
        {
            var item = JsonNode.Parse(json)!.AsObject();
            if (selectors.Matches(item))
            {
                item.Remove("kind");
                item.Remove("apiVersion");
                array.Add(item);
            }
        }

        var list = new JsonObject
        {
            ["kind"] = route.Resource.ListKind,
            ["apiVersion"] = route.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = array,
        };
        return ApiServer.WriteJsonAsync(context, 200, list.ToJsonString());
    }

    public async Task CreateAsync(HttpContext context, ApiRoute route)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var strict = context.Request.Query["fieldValidation"] is not ["Ignore" or "Warn"];
        var item = (IKubernetesObject<V1ObjectMeta>)KubeJson.ReadStrict(body, route.Resource.ModelType, strict);
        var metadata = item.Metadata ??= new V1ObjectMeta();
        if (metadata.NamespaceProperty is { Length: > 0 } given && given != route.Namespace)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (item.Kind is { Length: > 0 } kind && kind != route.Resource.Kind)
        {
            throw ApiError.BadRequest($"the API version in the data ({item.ApiVersion}) does not match the expected API version ({route.Resource.ApiVersion})");
        }

        metadata.NamespaceProperty = route.Namespace;
        metadata.Uid = Guid.NewGuid().ToString();
        metadata.ResourceVersion = null;
        metadata.DeletionTimestamp = null;
        switch (item)
        {
            case V1Job job:
                ResourceValidation.PrepareJob(job);
                ResourceValidation.LabelJob(job);
                job.Status = new V1JobStatus();
                break;
            case V1Pod pod:
                ResourceValidation.PreparePod(pod);
                break;
            case V1Secret secret:
                ResourceValidation.PrepareSecret(secret);
                break;
        }

        var created = store.Create(route.Resource, item);
        await ApiServer.WriteJsonAsync(context, 201, KubeJson.Serialize(created)).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, ApiRoute route)
    {
        var options = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var ns = route.Namespace!;
        var name = route.Name!;
        if (route.Resource == ResourceInfo.Pods)
        {
            var json = pods.Delete(ns, name, options.GracePeriodSeconds) ?? throw ApiError.NotFound(route.Resource, name);
            await ApiServer.WriteJsonAsync(context, 200, json).ConfigureAwait(false);
            return;
        }

        if (route.Resource == ResourceInfo.Events)
        {
            var removed = store.Remove(route.Resource, ns, name) ?? throw ApiError.NotFound(route.Resource, name);
            await ApiServer.WriteJsonAsync(context, 200, Success(route.Resource, removed)).ConfigureAwait(false);
            return;
        }

        var policy = options.PropagationPolicy ?? (options.OrphanDependents switch { true => "Orphan", false => "Background", null => null });
        if (route.Resource == ResourceInfo.Jobs && policy is null)
        {
            context.Response.Headers.Append("Warning", OrphanWarning);
        }

        var (body, gone) = collector.Delete(route.Resource, ns, name, policy);
        await ApiServer.WriteJsonAsync(context, gone ? 200 : 202, gone ? Success(route.Resource, body) : body).ConfigureAwait(false);
    }

    private static string Success(ResourceInfo resource, string deleted)
    {
        var metadata = JsonNode.Parse(deleted)!["metadata"]!;
        var details = new JsonObject { ["name"] = metadata["name"]!.GetValue<string>() };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Plural;
        details["uid"] = metadata["uid"]!.GetValue<string>();
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        }.ToJsonString();
    }

    private static async Task<V1DeleteOptions> ReadDeleteOptionsAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var options = string.IsNullOrWhiteSpace(body) ? new V1DeleteOptions() : (V1DeleteOptions)KubeJson.ReadStrict(body, typeof(V1DeleteOptions), strict: false);
        var query = context.Request.Query;
        if (query["propagationPolicy"] is [{ Length: > 0 } policy])
        {
            options.PropagationPolicy = policy;
        }

        if (query["gracePeriodSeconds"] is [{ } grace] && long.TryParse(grace, CultureInfo.InvariantCulture, out var seconds))
        {
            options.GracePeriodSeconds = seconds;
        }

        if (query["orphanDependents"] is [{ } orphan] && bool.TryParse(orphan, out var value))
        {
            options.OrphanDependents = value;
        }

        return options;
    }
}
