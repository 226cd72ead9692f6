using System.Text.Json.Nodes;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// Deletion with <c>propagationPolicy</c> and the owner-reference garbage collector: dependents (pods, secrets) whose
/// owners are all gone are deleted; a Job deleted in the foreground goes once its dependents are gone; orphaned
/// dependents lose the owner reference.
/// </summary>
internal sealed class GarbageCollector(ClusterStore store, PodLifecycle pods)
{
    private static readonly ResourceInfo[] Dependents = [ResourceInfo.Pods, ResourceInfo.Secrets];

    /// <summary>Deletes a Job or Secret; returns the body to answer and whether the object is gone already.</summary>
    public (string Json, bool Gone) Delete(ResourceInfo resource, string ns, string name, string? policy)
    {
        var existing = store.GetJson(resource, ns, name) ?? throw ApiError.NotFound(resource, name);
        var uid = JsonNode.Parse(existing)!["metadata"]!["uid"]!.GetValue<string>();
        policy ??= resource == ResourceInfo.Jobs ? "Orphan" : "Background";
        switch (policy)
        {
            case "Foreground":
                store.Update<V1Job>(resource, ns, name, j =>
                {
                    j.Metadata.DeletionTimestamp ??= store.Now();
                    j.Metadata.DeletionGracePeriodSeconds = 0;
                    j.Metadata.Finalizers ??= [];
                    if (!j.Metadata.Finalizers.Contains("foregroundDeletion"))
                    {
                        j.Metadata.Finalizers.Add("foregroundDeletion");
                    }

                    return true;
                });
                Collect();
                return store.GetJson(resource, ns, name) is { } marked ? (marked, false) : (existing, true);
            case "Orphan":
                foreach (var dependent in Dependents)
                {
                    foreach (var item in store.List<MetadataOnly>(dependent, ns).Where(p => OwnedBy(p.Metadata, uid)))
                    {
                        UpdateMetadata(dependent, ns, item.Metadata.Name, m => m.OwnerReferences.Remove(m.OwnerReferences.First(o => o.Uid == uid)));
                    }
                }

                break;
            case "Background":
                break;
            default:
                throw ApiError.BadRequest($"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
        }

        store.Remove(resource, ns, name, uid);
        Collect();
        return (existing, true);
    }

    /// <summary>Deletes dependents whose owners are all gone and finishes foreground deletions whose dependents are gone.</summary>
    public void Collect()
    {
        var jobs = store.List<V1Job>(ResourceInfo.Jobs, null);
        var live = jobs.Where(j => !j.Metadata.Finalizers?.Contains("foregroundDeletion") ?? true).Select(j => j.Metadata.Uid)
            .Concat(Dependents.SelectMany(d => store.List<MetadataOnly>(d, null)).Select(p => p.Metadata.Uid))
            .ToHashSet(StringComparer.Ordinal);
        var remaining = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in Dependents)
        {
            foreach (var item in store.List<MetadataOnly>(resource, null))
            {
                if (item.Metadata.OwnerReferences is not { Count: > 0 } owners)
                {
                    continue;
                }

                if (owners.Any(o => live.Contains(o.Uid)))
                {
                    continue;
                }

                if (resource == ResourceInfo.Pods)
                {
                    if (pods.Delete(item.Metadata.NamespaceProperty, item.Metadata.Name, gracePeriodSeconds: null) is not null
                        && store.GetJson(resource, item.Metadata.NamespaceProperty, item.Metadata.Name) is not null)
                    {
                        remaining.UnionWith(owners.Select(o => o.Uid));
                    }
                }
                else
                {
                    store.Remove(resource, item.Metadata.NamespaceProperty, item.Metadata.Name, item.Metadata.Uid);
                }
            }
        }

        foreach (var job in jobs.Where(j => j.Metadata.Finalizers?.Contains("foregroundDeletion") == true && !remaining.Contains(j.Metadata.Uid)))
        {
            store.Remove(ResourceInfo.Jobs, job.Metadata.NamespaceProperty, job.Metadata.Name, job.Metadata.Uid);
        }
    }

    private void UpdateMetadata(ResourceInfo resource, string ns, string name, Func<V1ObjectMeta, bool> change)
    {
        if (resource == ResourceInfo.Pods)
        {
            store.Update<V1Pod>(resource, ns, name, p => change(p.Metadata));
        }
        else
        {
            store.Update<V1Secret>(resource, ns, name, s => change(s.Metadata));
        }
    }

    private static bool OwnedBy(V1ObjectMeta metadata, string uid) => metadata.OwnerReferences?.Any(o => o.Uid == uid) == true;
}
