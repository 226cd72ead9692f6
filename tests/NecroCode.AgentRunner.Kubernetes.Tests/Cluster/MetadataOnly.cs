using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Any object read for its metadata only (owner references, uid).</summary>
internal sealed class MetadataOnly : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
