using System.Text.Json;
using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner;

/// <summary>
/// The JSON shapes that cross process and container boundaries: camelCase names, enums as
/// their names (e.g. <c>"Succeeded"</c>), <see cref="TimeSpan"/> as <c>[d.]hh:mm:ss[.fffffff]</c>, nulls omitted.
/// Names are case-sensitive. A task document with an unknown (or wrongly cased) field is refused, naming the
/// field, so that a typo never silently drops a setting; put extension data into <c>metadata</c>. Every wrong type
/// is reported by field path with the form expected, together with the task's other problems.
/// </summary>
public static class AgentRunnerJson
{
    /// <summary>Serializer options for every documented shape (source-generated).</summary>
    public static JsonSerializerOptions Options => AgentRunnerJsonContext.Default.Options;

    /// <summary>Options that write one compact object a line (run logs, event logs).</summary>
    public static JsonSerializerOptions LineOptions { get; } = new(AgentRunnerJsonContext.Default.Options) { WriteIndented = false };

    /// <summary>Parses a task context and validates it.</summary>
    /// <param name="json">The JSON document.</param>
    /// <returns>The valid task.</returns>
    /// <exception cref="TaskValidationException">The document does not parse, or the task has problems (all listed).</exception>
    public static TaskContext ParseTask(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        System.Text.Json.Nodes.JsonNode? root;
        try
        {
            root = System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new TaskValidationException([new TaskValidationError("$", FirstLine(ex.Message))], ex);
        }

        // Every field with a wrong type or an unknown name is reported; the rest is bound and validated as well,
        // so that one message lists every problem of the document.
        List<TaskValidationError> errors;
        System.Text.Json.Nodes.JsonObject? clean;
        try
        {
            (errors, clean) = TaskJsonShape.Check(root);
        }
        catch (ArgumentException ex)
        {
            // JsonObject refuses a name given twice when it is first read.
            throw new TaskValidationException([new TaskValidationError("$", $"a field is given more than once: {FirstLine(ex.Message)}")], ex);
        }

        if (clean is null)
        {
            throw new TaskValidationException(errors);
        }

        TaskContext task;
        try
        {
            task = clean.Deserialize(AgentRunnerJsonContext.Default.TaskContext) ?? new TaskContext();
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
            throw new TaskValidationException([.. errors, new TaskValidationError(field, FirstLine(ex.Message))], ex);
        }

        var reported = errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);

        // The constructor reads an absent timeout as zero and gives it the default; a zero the file gives is refused.
        if (!reported.Contains("timeout") && clean["timeout"] is System.Text.Json.Nodes.JsonValue timeout && timeout.TryGetValue<string>(out var text)
            && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var given) && given == TimeSpan.Zero)
        {
            errors.Add(new TaskValidationError("timeout", $"must be more than zero and at most {TaskContextValidator.MaxTimeout:c}; was {given:c}."));
            reported.Add("timeout");
        }

        errors.AddRange(TaskContextValidator.Validate(task).Where(e => !reported.Any(r => e.Field == r || e.Field.StartsWith(r + "[", StringComparison.Ordinal) || e.Field.StartsWith(r + ".", StringComparison.Ordinal))));
        return errors.Count > 0 ? throw new TaskValidationException(errors) : task;
    }

    /// <summary>Reads, parses and validates a task file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The valid task.</returns>
    /// <exception cref="TaskValidationException">The file does not parse, or the task has problems.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<TaskContext> ReadTaskAsync(string path, CancellationToken cancellationToken)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return ParseTask(json);
    }

    /// <summary>Writes a task context in its documented shape, indented.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The JSON document.</returns>
    public static string Serialize(TaskContext task) => JsonSerializer.Serialize(task, AgentRunnerJsonContext.Default.TaskContext);

    /// <summary>Writes a run summary, indented.</summary>
    /// <param name="result">The summary.</param>
    /// <returns>The JSON document.</returns>
    public static string Serialize(RunnerResult result) => JsonSerializer.Serialize(result, AgentRunnerJsonContext.Default.RunnerResult);

    /// <summary>Writes one run event as a single line (no line ending).</summary>
    /// <param name="runEvent">The event.</param>
    /// <returns>The JSON line.</returns>
    public static string SerializeLine(RunEvent runEvent) => JsonSerializer.Serialize(runEvent, CompactContext.RunEvent);

    /// <summary>Reads one run event line.</summary>
    /// <param name="line">
    /// A line written by <see cref="SerializeLine(RunEvent)"/>, or a compact output line of a run log
    /// (<see cref="RunLogFormat"/>), whose envelope then stays empty: <see cref="RunLogReader"/> fills it in.
    /// </param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The line is not a run event.</exception>
    public static RunEvent DeserializeEvent(string line) =>
        RunLogFormat.IsCompactOutput(line) ? RunLogFormat.ReadCompactOutput(line)
        : JsonSerializer.Deserialize(line, CompactContext.RunEvent) ?? throw new JsonException("A run event line was null.");

    internal static AgentRunnerJsonContext CompactContext { get; } = new(new JsonSerializerOptions(AgentRunnerJsonContext.Default.Options) { WriteIndented = false });

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }
}

/// <summary>Source-generated serialization metadata for the documented shapes.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(TaskContext))]
[JsonSerializable(typeof(RunnerResult))]
[JsonSerializable(typeof(RunEvent))]
[JsonSerializable(typeof(TaskEvent))]
[JsonSerializable(typeof(TaskRecord))]
[JsonSerializable(typeof(RunnerRegistration))]
[JsonSerializable(typeof(BranchClaim))]
[JsonSerializable(typeof(List<RunnerRegistration>))]
[JsonSerializable(typeof(TestRunResult))]
[JsonSerializable(typeof(ArtifactRecord))]
[JsonSerializable(typeof(StateTransition))]
internal sealed partial class AgentRunnerJsonContext : JsonSerializerContext;
