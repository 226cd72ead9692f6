using System.Text.Json.Nodes;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>A failed API call, answered as a <c>v1.Status</c> body with the given HTTP code.</summary>
internal sealed class ApiError(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    /// <summary>Seconds the client should wait (the <c>Retry-After</c> header), when set.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiError NotFound(ResourceInfo resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedName} \"{name}\" not found", DetailsOf(resource, name));

    public static ApiError AlreadyExists(ResourceInfo resource, string name) =>
        new(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists", DetailsOf(resource, name));

    public static ApiError Conflict(ResourceInfo resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.QualifiedName} \"{name}\": {why}", DetailsOf(resource, name));

    public static ApiError Invalid(ResourceInfo resource, string name, IReadOnlyList<(string Field, string Reason, string Message)> causes)
    {
        var details = DetailsOf(resource, name);
        details["kind"] = resource.Kind;
        details["causes"] = new JsonArray([.. causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field })]);
        var joined = causes.Count == 1 ? $"{causes[0].Field}: {causes[0].Message}" : $"[{string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"))}]";
        var kind = resource.Group.Length == 0 ? resource.Kind : $"{resource.Kind}.{resource.Group}";
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {joined}", details);
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Expired(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static ApiError MethodNotAllowed(string verb, string resource) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({verb} {resource})");

    public static ApiError NoRoute() => new(404, "NotFound", "the server could not find the requested resource");

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["details"] = Details?.DeepClone(),
        ["code"] = Code,
    };

    private static JsonObject DetailsOf(ResourceInfo resource, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Plural;
        return details;
    }
}
