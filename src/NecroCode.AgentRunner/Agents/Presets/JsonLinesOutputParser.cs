using System.Globalization;
using System.Text;
using System.Text.Json;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Base of the parsers for agents that print one JSON object a line. Lines that are not JSON are passed on as
/// they are; unknown message types and fields are ignored. A JSON line the process runner split because it was
/// longer than its line limit is joined again (up to <see cref="MaxJoinedLength"/> characters).
/// </summary>
internal abstract class JsonLinesOutputParser : AgentOutputParser
{
    /// <summary>Longest JSON message put back together from split lines.</summary>
    public const int MaxJoinedLength = 8 * 1024 * 1024;

    private readonly StringBuilder _partial = new();

    /// <inheritdoc />
    public override bool ReportsFinalResult => true;

    /// <inheritdoc />
    public override void Accept(string line, Action<string> emit)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(emit);
        string text;
        if (_partial.Length > 0)
        {
            _partial.Append(line);
            text = _partial.ToString();
        }
        else
        {
            text = line;
        }

        var start = text.AsSpan().TrimStart();
        if (start.IsEmpty || start[0] != '{')
        {
            FlushPartial(emit);
            EmitText(line, emit);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            if (IsIncomplete(text) && text.Length < MaxJoinedLength)
            {
                if (_partial.Length == 0)
                {
                    _partial.Append(line);
                }

                return;
            }

            _partial.Clear();
            emit(TerminalText.Shorten(text));
            return;
        }

        _partial.Clear();
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                OnMessage(document.RootElement, emit);
            }
        }
    }

    /// <inheritdoc />
    public override void Complete(Action<string> emit) => FlushPartial(emit);

    /// <summary>Handles one JSON object.</summary>
    /// <param name="message">The object.</param>
    /// <param name="emit">Receives the human-readable lines.</param>
    protected abstract void OnMessage(JsonElement message, Action<string> emit);

    /// <summary>A string property, or null when absent or not a string.</summary>
    protected static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A property of the given kind, or null.</summary>
    protected static JsonElement? Child(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    /// <summary>A whole-number property (a number or a numeric string), or null.</summary>
    protected static long? Whole(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.Number when value.TryGetDouble(out var real) => (long)real,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>A decimal property, or null.</summary>
    protected static decimal? Decimal(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : null;

    /// <summary>A boolean property, or null.</summary>
    protected static bool? Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>A one-line description of a tool's input: its path, command, pattern or query when it has one.</summary>
    protected static string DescribeInput(JsonElement? input)
    {
        if (input is not { ValueKind: JsonValueKind.Object } value)
        {
            return "";
        }

        foreach (var key in (string[])["file_path", "path", "absolute_path", "notebook_path", "command", "pattern", "url", "query", "description"])
        {
            if (Text(value, key) is { Length: > 0 } text)
            {
                return " " + TerminalText.FirstLine(text);
            }
        }

        return "";
    }

    private void FlushPartial(Action<string> emit)
    {
        if (_partial.Length > 0)
        {
            emit(TerminalText.Shorten(_partial.ToString()));
            _partial.Clear();
        }
    }

    private static bool IsIncomplete(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject)
                {
                    return false;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
