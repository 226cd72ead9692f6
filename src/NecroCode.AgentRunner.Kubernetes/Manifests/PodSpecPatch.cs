using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Manifests;

/// <summary>Applies <see cref="KubernetesOptions.PodSpecPatch"/>, a JSON merge patch (RFC 7386), to a generated pod spec.</summary>
internal static class PodSpecPatch
{
    /// <summary>The spec with <paramref name="patch"/> merged in; the spec itself when there is no patch.</summary>
    /// <exception cref="ArgumentException">The patch is not a JSON object, or the patched spec is not a pod spec.</exception>
    public static V1PodSpec Apply(V1PodSpec spec, string? patch)
    {
        if (string.IsNullOrWhiteSpace(patch))
        {
            return spec;
        }

        if (JsonNode.Parse(patch) is not JsonObject changes)
        {
            throw new ArgumentException($"{KubernetesOptions.SectionName}:PodSpecPatch must be a JSON object.", nameof(patch));
        }

        var target = JsonNode.Parse(KubernetesJson.Serialize(spec)) as JsonObject ?? [];
        Merge(target, changes);
        try
        {
            return KubernetesJson.Deserialize<V1PodSpec>(target.ToJsonString());
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ArgumentException($"{KubernetesOptions.SectionName}:PodSpecPatch does not leave a pod spec: {ex.Message}", nameof(patch), ex);
        }
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
