namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>A parsed REST path: <c>/api/v1/namespaces/{ns}/pods/{name}/log</c>, <c>/apis/batch/v1/jobs</c>, …</summary>
internal sealed record ApiRoute(ResourceInfo Resource, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>The resource as RBAC and the fault API name it: <c>pods</c>, <c>pods/log</c>, <c>jobs/status</c>.</summary>
    public string ResourcePath => Subresource is null ? Resource.Plural : $"{Resource.Plural}/{Subresource}";

    public static ApiRoute? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        int at;
        string group;
        string version;
        if (parts is ["api", var v, ..])
        {
            (group, version, at) = ("", v, 2);
        }
        else if (parts is ["apis", var g, var v2, ..])
        {
            (group, version, at) = (g, v2, 3);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (parts.Length > at + 1 && parts[at] == "namespaces")
        {
            ns = parts[at + 1];
            at += 2;
        }

        if (parts.Length <= at || parts.Length > at + 3)
        {
            return null;
        }

        var resource = ResourceInfo.Find(group, version, parts[at]);
        if (resource is null)
        {
            return null;
        }

        var name = parts.Length > at + 1 ? Uri.UnescapeDataString(parts[at + 1]) : null;
        var sub = parts.Length > at + 2 ? parts[at + 2] : null;
        return (resource, sub) switch
        {
            (_, null) => new ApiRoute(resource, ns, name, null),
            ({ Plural: "pods" }, "log" or "status") or ({ Plural: "jobs" }, "status") => new ApiRoute(resource, ns, name, sub),
            _ => null,
        };
    }
}
