using k8s;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Records <c>v1</c> Events about objects as the scheduler, kubelet and job controller do (repeats counted).</summary>
internal sealed class ClusterEvents(ClusterStore store, string nodeName)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Uid, string Reason, string Message), string> _names = [];

    public void Record<T>(T about, string type, string reason, string message, string component)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var metadata = about.Metadata;
        var key = (metadata.Uid, reason, message);
        var now = store.Now();
        lock (_gate)
        {
            if (_names.TryGetValue(key, out var existing)
                && store.Update<Corev1Event>(ResourceInfo.Events, metadata.NamespaceProperty, existing, e =>
                {
                    e.Count = (e.Count ?? 1) + 1;
                    e.LastTimestamp = now;
                    return true;
                }) is not null)
            {
                return;
            }

            var created = store.Create(ResourceInfo.Events, new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = $"{metadata.Name}.{Guid.NewGuid():N}"[..(metadata.Name.Length + 17)], NamespaceProperty = metadata.NamespaceProperty },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = about.ApiVersion,
                    Kind = about.Kind,
                    Name = metadata.Name,
                    NamespaceProperty = metadata.NamespaceProperty,
                    Uid = metadata.Uid,
                    ResourceVersion = metadata.ResourceVersion,
                },
                Type = type,
                Reason = reason,
                Message = message,
                Source = new V1EventSource { Component = component, Host = component == "kubelet" ? nodeName : null },
                ReportingComponent = component,
                ReportingInstance = component == "kubelet" ? nodeName : "",
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            });
            _names[key] = created.Metadata.Name;
        }
    }
}
