using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>A resource the fake API server serves: its REST names and its model type.</summary>
internal sealed record ResourceInfo(string Group, string Version, string Plural, string Kind, Type ModelType)
{
    public static readonly ResourceInfo Jobs = new("batch", "v1", "jobs", "Job", typeof(V1Job));
    public static readonly ResourceInfo Pods = new("", "v1", "pods", "Pod", typeof(V1Pod));
    public static readonly ResourceInfo Secrets = new("", "v1", "secrets", "Secret", typeof(V1Secret));
    public static readonly ResourceInfo Events = new("", "v1", "events", "Event", typeof(Corev1Event));

    public static readonly IReadOnlyList<ResourceInfo> All = [Jobs, Pods, Secrets, Events];

    /// <summary><c>batch/v1</c> or <c>v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name the server uses in messages: <c>jobs.batch</c>, <c>pods</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public static ResourceInfo? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
}
