using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner.PostgreSql;

/// <summary>The JSON the provider stores in <c>jsonb</c> columns: artifact records and event data (camelCase, enums by name).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ArtifactRecord))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class PostgreSqlJsonContext : JsonSerializerContext;
