using System.Text.Json;

namespace NecroCode.AgentRunner;

/// <summary>
/// The line format of a run log: JSON lines, one run event a line. An <see cref="OutputLine"/> is written compactly,
/// as its step and text only — <c>{"o":"test","t":"…"}</c> for standard output, <c>{"e":"test","t":"…"}</c> for
/// standard error (<c>jq -r '.t // empty'</c> prints the output) — so that the log stays close to the size of the
/// output; every other event is written whole, as <see cref="AgentRunnerJson.SerializeLine(RunEvent)"/> writes it.
/// A compact line's sequence is the previous line's plus one, and its timestamp, runner and task are the previous
/// event's: <see cref="RunLogReader"/> fills them in. Logs of earlier versions, with every output line written
/// whole, read the same way.
/// </summary>
public static class RunLogFormat
{
    private const string StandardOutputKey = "o";
    private const string StandardErrorKey = "e";
    private const string TextKey = "t";

    private static readonly JsonEncodedText StandardOutputName = JsonEncodedText.Encode(StandardOutputKey);
    private static readonly JsonEncodedText StandardErrorName = JsonEncodedText.Encode(StandardErrorKey);
    private static readonly JsonEncodedText TextName = JsonEncodedText.Encode(TextKey);

    /// <summary>Writes one run event in the run log's format, without the line ending.</summary>
    /// <param name="writer">The writer (reused across lines by the caller).</param>
    /// <param name="runEvent">The event.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Utf8JsonWriter writer, RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(runEvent);
        if (runEvent is OutputLine line)
        {
            WriteOutput(writer, line.Step, line.Stream, line.Text);
            return;
        }

        JsonSerializer.Serialize(writer, runEvent, AgentRunnerJson.CompactContext.RunEvent);
    }

    /// <summary>
    /// Writes one output line in the compact form, from its parts, without the line ending: what
    /// <see cref="Write(Utf8JsonWriter, RunEvent)"/> writes for an <see cref="OutputLine"/>, without the event.
    /// </summary>
    /// <param name="writer">The writer (reused across lines by the caller).</param>
    /// <param name="step">The step that printed the line.</param>
    /// <param name="stream">The stream it was printed on.</param>
    /// <param name="text">The line's text.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteOutput(Utf8JsonWriter writer, string step, OutputSource stream, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(step);
        writer.WriteStartObject();
        writer.WriteString(stream == OutputSource.StandardError ? StandardErrorName : StandardOutputName, step);
        writer.WriteString(TextName, text);
        writer.WriteEndObject();
    }

    /// <summary>Whether a line is a compact output line (and not a whole event).</summary>
    /// <param name="line">One line of a run log.</param>
    /// <returns>True for <c>{"o":…}</c> and <c>{"e":…}</c> lines.</returns>
    public static bool IsCompactOutput(string line) =>
        line is not null
        && (line.StartsWith("{\"" + StandardOutputKey + "\":", StringComparison.Ordinal) || line.StartsWith("{\"" + StandardErrorKey + "\":", StringComparison.Ordinal));

    /// <summary>Reads a compact output line; its envelope (sequence, timestamp, runner, task) is left empty.</summary>
    /// <param name="line">A line for which <see cref="IsCompactOutput(string)"/> holds.</param>
    /// <returns>The output line.</returns>
    /// <exception cref="JsonException">The line is not a compact output line.</exception>
    internal static OutputLine ReadCompactOutput(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var isError = root.TryGetProperty(StandardErrorKey, out var step);
        if ((!isError && !root.TryGetProperty(StandardOutputKey, out step)) || step.ValueKind != JsonValueKind.String
            || !root.TryGetProperty(TextKey, out var text) || text.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("A compact output line needs a step (\"o\" or \"e\") and a text (\"t\"), both strings.");
        }

        return new OutputLine(step.GetString()!, isError ? OutputSource.StandardError : OutputSource.StandardOutput, text.GetString()!);
    }
}
