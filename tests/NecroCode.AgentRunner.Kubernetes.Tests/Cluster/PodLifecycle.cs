using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// Pod deletion and eviction as the API server and kubelet share them: a running pod on the node is marked
/// (<c>deletionTimestamp</c>) and the kubelet stops its containers within the grace period, then removes it; a pod that never
/// ran, a finished one or a forced delete goes at once.
/// </summary>
internal sealed class PodLifecycle(ClusterStore store, ClusterEvents events, bool kubeletRuns)
{
    /// <summary>Deletes a pod; returns its JSON as it is after the call (marked or removed), null when it was not there.</summary>
    public string? Delete(string ns, string name, long? gracePeriodSeconds)
    {
        var pod = store.Get<V1Pod>(ResourceInfo.Pods, ns, name);
        if (pod is null)
        {
            return null;
        }

        var grace = gracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30;
        var finished = pod.Status?.Phase is "Succeeded" or "Failed";
        if (grace <= 0 || !kubeletRuns || pod.Spec.NodeName is null || finished)
        {
            return store.Remove(ResourceInfo.Pods, ns, name);
        }

        var now = store.Now();
        store.Update<V1Pod>(ResourceInfo.Pods, ns, name, p =>
        {
            var deadline = now.AddSeconds(grace);
            if (p.Metadata.DeletionTimestamp is { } existing && existing <= deadline)
            {
                return false;
            }

            p.Metadata.DeletionTimestamp = deadline;
            p.Metadata.DeletionGracePeriodSeconds = grace;
            return true;
        });
        return store.GetJson(ResourceInfo.Pods, ns, name);
    }

    /// <summary>Evicts a pod as the kubelet does under node pressure; the kubelet then kills its containers.</summary>
    public void Evict(string ns, string name)
    {
        var now = store.Now();
        var pod = store.Update<V1Pod>(ResourceInfo.Pods, ns, name, p =>
        {
            if (p.Status?.Phase is "Succeeded" or "Failed")
            {
                return false;
            }

            p.Status ??= new V1PodStatus();
            p.Status.Phase = "Failed";
            p.Status.Reason = "Evicted";
            p.Status.Message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. ";
            p.Status.Conditions ??= [];
            p.Status.Conditions.Insert(0, new V1PodCondition
            {
                Type = "DisruptionTarget",
                Status = "True",
                Reason = "TerminationByKubelet",
                Message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. ",
                LastTransitionTime = now,
            });
            foreach (var condition in p.Status.Conditions.Where(c => c.Type is "Ready" or "ContainersReady"))
            {
                condition.Status = "False";
                condition.Reason = "PodFailed";
                condition.LastTransitionTime = now;
            }

            return true;
        }) ?? throw new InvalidOperationException($"There is no pod {ns}/{name} to evict.");
        events.Record(pod, "Warning", "Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. ", "kubelet");
    }
}
