using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>The kubelet's writes to one pod's status: phase, conditions (transition times kept), container states.</summary>
internal sealed class PodStatusWriter(ClusterStore store, V1Pod pod)
{
    private readonly string _ns = pod.Metadata.NamespaceProperty;
    private readonly string _name = pod.Metadata.Name;
    private readonly string _uid = pod.Metadata.Uid;

    /// <summary>The pod as stored now, or null when it is gone (or replaced by another of the same name).</summary>
    public V1Pod? Current()
    {
        var current = store.Get<V1Pod>(ResourceInfo.Pods, _ns, _name);
        return current?.Metadata.Uid == _uid ? current : null;
    }

    public V1Pod? Update(Action<V1Pod, DateTime> change)
    {
        var now = store.Now();
        return store.Update<V1Pod>(ResourceInfo.Pods, _ns, _name, p =>
        {
            if (p.Metadata.Uid != _uid)
            {
                return false;
            }

            var before = KubeJson.Serialize(p);
            p.Status ??= new V1PodStatus();
            change(p, now);
            return KubeJson.Serialize(p) != before;
        });
    }

    public void Remove() => store.Remove(ResourceInfo.Pods, _ns, _name, _uid);

    public static void SetCondition(V1PodStatus status, string type, bool value, DateTime now, string? reason = null, string? message = null)
    {
        status.Conditions ??= [];
        var text = value ? "True" : "False";
        var condition = status.Conditions.FirstOrDefault(c => c.Type == type);
        if (condition is null)
        {
            status.Conditions.Add(condition = new V1PodCondition { Type = type, LastTransitionTime = now });
        }
        else if (condition.Status != text)
        {
            condition.LastTransitionTime = now;
        }

        condition.Status = text;
        condition.Reason = reason;
        condition.Message = message;
        condition.LastProbeTime = null;
    }

    public static V1ContainerStatus ContainerStatus(V1PodStatus status, V1Container container)
    {
        status.ContainerStatuses ??= [];
        var found = status.ContainerStatuses.FirstOrDefault(c => c.Name == container.Name);
        if (found is null)
        {
            status.ContainerStatuses.Add(found = new V1ContainerStatus { Name = container.Name, Image = container.Image, ImageID = "", RestartCount = 0, Ready = false, Started = false });
        }

        return found;
    }

    /// <summary>Ready/ContainersReady from the containers, as the kubelet derives them.</summary>
    public static void SetReadiness(V1PodStatus status, DateTime now)
    {
        if (status.Phase is "Succeeded" or "Failed")
        {
            var reason = status.Phase == "Succeeded" ? "PodCompleted" : "PodFailed";
            SetCondition(status, "PodReadyToStartContainers", false, now);
            SetCondition(status, "ContainersReady", false, now, reason);
            SetCondition(status, "Ready", false, now, reason);
            return;
        }

        var unready = (status.ContainerStatuses ?? []).Where(c => !c.Ready).Select(c => c.Name).ToList();
        var message = $"containers with unready status: [{string.Join(' ', unready)}]";
        SetCondition(status, "ContainersReady", unready.Count == 0, now, unready.Count == 0 ? null : "ContainersNotReady", unready.Count == 0 ? null : message);
        SetCondition(status, "Ready", unready.Count == 0, now, unready.Count == 0 ? null : "ContainersNotReady", unready.Count == 0 ? null : message);
    }
}
