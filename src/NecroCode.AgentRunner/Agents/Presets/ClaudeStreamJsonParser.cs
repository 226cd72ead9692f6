using System.Globalization;
using System.Text.Json;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Reads Claude Code's <c>--output-format stream-json</c>: <c>system</c> (init), <c>assistant</c> (text and
/// tool_use blocks), <c>user</c> (tool_result blocks) and the final <c>result</c> message with
/// <c>subtype</c>, <c>is_error</c>, <c>result</c>, <c>num_turns</c>, <c>total_cost_usd</c> and <c>usage</c>.
/// </summary>
/// <remarks>
/// While the agent works, each distinct assistant message (by <c>message.id</c>) counts as a turn and its
/// <c>message.usage</c> makes up the tokens so far; the <c>result</c> message's figures replace them. The cost is
/// known only from the result.
/// </remarks>
internal sealed class ClaudeStreamJsonParser : JsonLinesOutputParser
{
    private readonly Dictionary<string, AgentUsage> _messages = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override void OnMessage(JsonElement message, Action<string> emit)
    {
        switch (Text(message, "type"))
        {
            case "system" when Text(message, "subtype") == "init":
                emit("Claude Code started" + (Text(message, "model") is { } model ? $" (model {model})" : ""));
                break;
            case "assistant":
                CountMessage(message);
                foreach (var block in Blocks(message))
                {
                    switch (Text(block, "type"))
                    {
                        case "text":
                            EmitText(Text(block, "text"), emit);
                            break;
                        case "tool_use":
                            emit("> " + (Text(block, "name") ?? "tool") + DescribeInput(Child(block, "input", JsonValueKind.Object)));
                            break;
                    }
                }

                break;
            case "user":
                foreach (var block in Blocks(message))
                {
                    if (Text(block, "type") == "tool_result" && Flag(block, "is_error") == true)
                    {
                        emit("! tool error: " + TerminalText.FirstLine(ToolResultText(block)));
                    }
                }

                break;
            case "result":
                OnResult(message, emit);
                break;
        }
    }

    private void OnResult(JsonElement message, Action<string> emit)
    {
        var subtype = Text(message, "subtype") ?? "unknown";
        var failed = Flag(message, "is_error") == true || !subtype.Equals("success", StringComparison.Ordinal);
        var result = Text(message, "result");
        Summary = result;

        // The result's figures are the whole attempt's: they replace the ones counted from the messages.
        if (Child(message, "usage", JsonValueKind.Object) is { } usage)
        {
            Usage = ToUsage(usage) with { CostUsd = Decimal(message, "total_cost_usd") };
        }
        else if (Decimal(message, "total_cost_usd") is { } cost)
        {
            Usage = (Usage ?? new AgentUsage(0, 0)) with { CostUsd = cost };
        }

        var details = new List<string>();
        if (Whole(message, "num_turns") is { } turns)
        {
            Turns = (int)Math.Min(turns, int.MaxValue);
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{turns} turns"));
        }

        if (Usage is { } reported)
        {
            details.Add(TerminalText.Describe(reported));
        }

        emit($"Result: {subtype}" + (details.Count > 0 ? $" ({string.Join(", ", details)})" : ""));
        if (failed)
        {
            var reason = result ?? Errors(message);
            emit("! " + TerminalText.FirstLine(reason ?? subtype));
            Verdict = new AgentVerdict(false, reason is null ? $"Claude Code reported '{subtype}'." : $"Claude Code reported '{subtype}': {TerminalText.FirstLine(reason, 500)}");
        }
        else
        {
            Verdict = new AgentVerdict(true);
        }
    }

    /// <summary>Counts a new assistant message as a turn and keeps its usage (the latest of its parts).</summary>
    private void CountMessage(JsonElement message)
    {
        if (Child(message, "message", JsonValueKind.Object) is not { } inner || Text(inner, "id") is not { } id)
        {
            return;
        }

        if (!_messages.ContainsKey(id))
        {
            CountTurn();
        }

        _messages[id] = Child(inner, "usage", JsonValueKind.Object) is { } usage ? ToUsage(usage) : _messages.GetValueOrDefault(id) ?? new AgentUsage(0, 0);
        Usage = _messages.Values.Aggregate((sum, next) => sum.Add(next));
    }

    private static AgentUsage ToUsage(JsonElement usage)
    {
        var cacheRead = Whole(usage, "cache_read_input_tokens");
        var input = (Whole(usage, "input_tokens") ?? 0) + (Whole(usage, "cache_creation_input_tokens") ?? 0) + (cacheRead ?? 0);
        return new AgentUsage(input, Whole(usage, "output_tokens") ?? 0, cacheRead);
    }

    private static List<JsonElement> Blocks(JsonElement message) =>
        Child(message, "message", JsonValueKind.Object) is { } inner && Child(inner, "content", JsonValueKind.Array) is { } content
            ? content.EnumerateArray().Where(b => b.ValueKind == JsonValueKind.Object).ToList()
            : [];

    private static string? ToolResultText(JsonElement block)
    {
        if (Text(block, "content") is { } text)
        {
            return text;
        }

        return Child(block, "content", JsonValueKind.Array) is { } parts
            ? string.Join('\n', parts.EnumerateArray().Select(p => Text(p, "text")).OfType<string>())
            : null;
    }

    private static string? Errors(JsonElement message) =>
        Child(message, "errors", JsonValueKind.Array) is { } errors
            ? string.Join("; ", errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : Text(e, "message")).OfType<string>()) is { Length: > 0 } joined ? joined : null
            : null;
}
