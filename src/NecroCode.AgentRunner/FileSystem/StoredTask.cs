using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// A task's record file: the <see cref="TaskRecord"/>'s JSON with, under <c>claim</c>, the claim of the task — the
/// runner that holds it while it is Running (<c>holder</c>) and the fencing number of its latest claim (<c>fence</c>,
/// kept after the claim ends so that the next claim's is larger). A record written before claims were fenced has no
/// <c>claim</c>: its fencing number is 0 and nobody holds it by a claim.
/// </summary>
/// <param name="Record">The record.</param>
/// <param name="Holder">The runner holding the task by a claim; null when nobody does.</param>
/// <param name="Fence">The fencing number of the task's latest claim; 0 before the first.</param>
internal sealed record StoredTask(TaskRecord Record, string? Holder, long Fence)
{
    private static readonly JsonTypeInfo<TaskRecord> RecordInfo = (JsonTypeInfo<TaskRecord>)AgentRunnerJson.Options.GetTypeInfo(typeof(TaskRecord));

    /// <summary>The runner that holds the task by a claim while it is Running; null when nobody does.</summary>
    public string? HeldBy => Record.State == TaskState.Running ? Holder : null;

    /// <summary>Reads the record file of <paramref name="task"/>.</summary>
    /// <returns>The stored task, or null when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">The file is torn, corrupt or another task's; the message names it.</exception>
    public static async Task<StoredTask?> ReadAsync(TaskKey task, string path, CancellationToken cancellationToken)
    {
        var stored = await AtomicFile.ReadJsonObjectAsync(path, Parse, cancellationToken).ConfigureAwait(false);
        return stored is null || (stored.Record is { } record && record.Task == task && record.Artifacts is not null)
            ? stored
            : throw new InvalidDataException($"The file '{path}' does not hold the record of task {task}.");
    }

    private static StoredTask Parse(JsonObject root)
    {
        string? holder = null;
        long fence = 0;
        if (root["claim"] is JsonObject claim)
        {
            holder = claim["holder"]?.GetValue<string>();
            fence = claim["fence"]?.GetValue<long>() ?? 0;
            root.Remove("claim");
        }

        return new StoredTask(JsonSerializer.Deserialize(root, RecordInfo) ?? throw new JsonException("The record is null."), holder, fence);
    }

    /// <summary>Writes the record file atomically.</summary>
    /// <returns>A task that completes when the file is durable.</returns>
    public Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var root = JsonSerializer.SerializeToNode(Record, RecordInfo)!.AsObject();
        var claim = new JsonObject { ["fence"] = Fence };
        if (Holder is not null)
        {
            claim["holder"] = Holder;
        }

        root["claim"] = claim;
        return AtomicFile.WriteJsonAsync(path, root, cancellationToken);
    }
}
