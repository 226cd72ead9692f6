using System.Text.Json;
using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>The runner state file's shape: the latest state of a runner.</summary>
/// <param name="RunnerId">The runner.</param>
/// <param name="SpecName">Its task's spec.</param>
/// <param name="TaskId">Its task.</param>
/// <param name="State">The current state.</param>
/// <param name="At">When the runner entered it.</param>
/// <param name="Reason">Why, when known.</param>
internal sealed record RunnerStateDocument(string RunnerId, string SpecName, string TaskId, RunnerState State, DateTimeOffset At, string? Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunnerStateDocument))]
internal sealed partial class OrchestrationJsonContext : JsonSerializerContext;
