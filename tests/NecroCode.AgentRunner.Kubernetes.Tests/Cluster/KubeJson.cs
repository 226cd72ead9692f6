using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// The official models' JSON (KubernetesClient's own converters), plus a strict reader that refuses a field
/// the model does not have, naming it as the API server's strict field validation does.
/// </summary>
internal static class KubeJson
{
    private static readonly JsonSerializerOptions Strict = CreateCopy(strict: true);
    private static readonly JsonSerializerOptions Lenient = CreateCopy(strict: false);

    public static string Serialize(object value) => KubernetesJson.Serialize(value);

    public static T Deserialize<T>(string json) => KubernetesJson.Deserialize<T>(json);

    public static object Deserialize(string json, Type type) => JsonSerializer.Deserialize(json, type, Lenient)!;

    public static JsonObject ToNode(object value) => JsonNode.Parse(Serialize(value))!.AsObject();

    /// <summary>Reads a request body; an unknown field fails with 400 <c>strict decoding error: unknown field "spec.x"</c>.</summary>
    public static object ReadStrict(string json, Type type, bool strict)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type, strict ? Strict : Lenient)
                ?? throw ApiError.BadRequest("the request body is empty");
        }
        catch (JsonException ex) when (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var path = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
            throw ApiError.BadRequest($"strict decoding error: unknown field \"{path}\"");
        }
        catch (JsonException ex)
        {
            throw ApiError.BadRequest($"the body of the request was in an unknown format: {ex.Message}");
        }
    }

    private static JsonSerializerOptions CreateCopy(bool strict)
    {
        JsonSerializerOptions? copy = null;
        KubernetesJson.AddJsonOptions(o => copy = new JsonSerializerOptions(o));
        copy!.UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip;
        return copy;
    }
}
