using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace NecroCode.AgentRunner.Cli;

/// <summary>Prints the queue's entries and one task's story, for a person or as JSON.</summary>
internal static class QueueWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void WriteList(TextWriter writer, IReadOnlyList<QueueEntry> entries, bool json)
    {
        if (json)
        {
            writer.WriteLine(new JsonArray([.. entries.Select(Node)]).ToJsonString(Indented));
            return;
        }

        foreach (var entry in entries)
        {
            writer.WriteLine(Line(entry));
        }
    }

    public static void WriteTask(TextWriter writer, TaskKey key, QueuedTask? queued, TaskRecord? record, IReadOnlyList<TaskEvent> events, bool json)
    {
        if (json)
        {
            var document = new JsonObject
            {
                ["task"] = key.ToString(),
                ["entry"] = queued is null ? null : Node(queued.Entry),
                ["definition"] = queued is null ? null : JsonNode.Parse(AgentRunnerJson.Serialize(queued.Definition)),
                ["record"] = record is null ? null : JsonSerializer.SerializeToNode(record, Info<TaskRecord>()),
                ["events"] = new JsonArray([.. events.Select(e => JsonSerializer.SerializeToNode(e, Info<TaskEvent>()))]),
            };
            writer.WriteLine(document.ToJsonString(Indented));
            return;
        }

        var culture = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(culture, $"Task      {key}"));
        writer.WriteLine(queued is null ? "Queue     not queued" : string.Create(culture, $"Queue     {Line(queued.Entry)}"));
        if (queued?.Definition is { } definition)
        {
            writer.WriteLine($"Title     {definition.Title}");
            foreach (var criterion in definition.AcceptanceCriteria)
            {
                writer.WriteLine($"Criterion {criterion}");
            }

            foreach (var command in definition.TestCommands)
            {
                writer.WriteLine($"Test      {command}");
            }
        }

        if (record is not null)
        {
            writer.WriteLine(string.Create(culture, $"State     {record.State} (runner {record.RunnerId ?? "-"}, {record.UpdatedAt:O})"));
            foreach (var artifact in record.Artifacts)
            {
                writer.WriteLine(string.Create(culture, $"Artifact  {artifact.Name}  {artifact.Uri?.ToString() ?? artifact.LocalPath ?? "-"}{(artifact.Error is { } error ? $" ({error})" : "")}"));
            }
        }

        foreach (var taskEvent in events)
        {
            writer.WriteLine(string.Create(culture, $"Event     {taskEvent.Timestamp:O}  {taskEvent.Type}  {taskEvent.RunnerId}{(taskEvent.Message is { } message ? "  " + message : "")}"));
        }
    }

    private static string Line(QueueEntry entry) => string.Create(
        CultureInfo.InvariantCulture,
        $"{entry.Task}  {entry.State}  runner {entry.RunnerId ?? "-"}  claims {entry.Claims}  enqueued {entry.EnqueuedAt:O}  updated {entry.UpdatedAt:O}");

    private static JsonObject Node(QueueEntry entry) => new()
    {
        ["task"] = entry.Task.ToString(),
        ["specName"] = entry.Task.SpecName,
        ["taskId"] = entry.Task.TaskId,
        ["state"] = entry.State.ToString(),
        ["runnerId"] = entry.RunnerId,
        ["claims"] = entry.Claims,
        ["enqueuedAt"] = entry.EnqueuedAt,
        ["updatedAt"] = entry.UpdatedAt,
    };

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)AgentRunnerJson.Options.GetTypeInfo(typeof(T));
}
