using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// A task's queue file, <c>tasks/&lt;spec&gt;/&lt;task&gt;.queued.json</c> beside its record: when it was (last)
/// enqueued, how often the queue handed it out, and its definition as a task file holds it.
/// </summary>
/// <param name="Definition">The task, as enqueued.</param>
/// <param name="EnqueuedAt">When it was (last) enqueued.</param>
/// <param name="Claims">How many times the queue handed it out.</param>
internal sealed record QueuedTaskFile(TaskContext Definition, DateTimeOffset EnqueuedAt, int Claims)
{
    /// <summary>The suffix of a queue file.</summary>
    public const string Suffix = ".queued.json";

    private static readonly JsonTypeInfo<TaskContext> TaskInfo = (JsonTypeInfo<TaskContext>)AgentRunnerJson.Options.GetTypeInfo(typeof(TaskContext));

    /// <summary>The task's key.</summary>
    public TaskKey Task => TaskKey.Of(Definition);

    /// <summary>Reads a queue file.</summary>
    /// <returns>The file's content, or null when it does not exist.</returns>
    /// <exception cref="InvalidDataException">The file is torn, corrupt or not a valid task's; the message names it.</exception>
    public static Task<QueuedTaskFile?> ReadAsync(string path, CancellationToken cancellationToken) =>
        AtomicFile.ReadJsonObjectAsync(path, Parse, cancellationToken);

    private static QueuedTaskFile Parse(JsonObject root)
    {
        var definition = root["definition"] is JsonObject task ? JsonSerializer.Deserialize(task, TaskInfo) : null;
        var enqueuedAt = root["enqueuedAt"]?.GetValue<DateTimeOffset>();
        return definition is null || enqueuedAt is null
            ? throw new JsonException("The definition or the time it was enqueued is missing.")
            : new QueuedTaskFile(definition, enqueuedAt.Value, root["claims"]?.GetValue<int>() ?? 0);
    }

    /// <summary>Writes the queue file atomically.</summary>
    /// <returns>A task that completes when the file is durable.</returns>
    public Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var root = new JsonObject
        {
            ["enqueuedAt"] = EnqueuedAt,
            ["claims"] = Claims,
            ["definition"] = JsonSerializer.SerializeToNode(Definition, TaskInfo),
        };
        return AtomicFile.WriteJsonAsync(path, root, cancellationToken);
    }
}
