using System.Text;
using System.Text.Json;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Reads Gemini CLI's <c>--output-format stream-json</c>: <c>init</c>, <c>message</c> (role, content, and
/// <c>delta</c> for streamed chunks, which are joined into lines), <c>tool_use</c>, <c>tool_result</c>,
/// <c>error</c> (non-fatal) and the final <c>result</c> with <c>status</c>, <c>error</c> and <c>stats</c>
/// (<c>input_tokens</c>, <c>output_tokens</c>, <c>cached</c>).
/// </summary>
internal sealed class GeminiStreamJsonParser : JsonLinesOutputParser
{
    private readonly StringBuilder _chunks = new();

    /// <inheritdoc />
    public override void Complete(Action<string> emit)
    {
        FlushChunks(emit);
        base.Complete(emit);
    }

    /// <inheritdoc />
    protected override void OnMessage(JsonElement message, Action<string> emit)
    {
        var type = Text(message, "type");
        if (type == "message" && Text(message, "role") == "assistant" && Flag(message, "delta") == true)
        {
            _chunks.Append(Text(message, "content"));
            var text = _chunks.ToString();
            var end = text.LastIndexOf('\n');
            if (end >= 0)
            {
                EmitText(text[..end], emit);
                _chunks.Remove(0, end + 1);
            }

            return;
        }

        FlushChunks(emit);
        switch (type)
        {
            case "init":
                emit("Gemini CLI started" + (Text(message, "model") is { } model ? $" (model {model})" : ""));
                break;
            case "message" when Text(message, "role") == "assistant":
                EmitText(Text(message, "content"), emit);
                break;
            case "tool_use":
                emit("> " + (Text(message, "tool_name") ?? "tool") + DescribeInput(Child(message, "parameters", JsonValueKind.Object)));
                break;
            case "tool_result" when Text(message, "status") == "error":
                var error = Child(message, "error", JsonValueKind.Object) is { } details ? Text(details, "message") : null;
                emit("! tool error: " + TerminalText.FirstLine(error ?? Text(message, "output")));
                break;
            case "error":
                emit($"! {Text(message, "severity") ?? "error"}: {TerminalText.FirstLine(Text(message, "message"))}");
                break;
            case "result":
                OnResult(message, emit);
                break;
        }
    }

    private void OnResult(JsonElement message, Action<string> emit)
    {
        var status = Text(message, "status") ?? "unknown";
        if (Child(message, "stats", JsonValueKind.Object) is { } stats)
        {
            AddUsage(new AgentUsage(Whole(stats, "input_tokens") ?? 0, Whole(stats, "output_tokens") ?? 0, Whole(stats, "cached")));
        }

        emit($"Result: {status}" + (Usage is { } usage ? $" ({TerminalText.Describe(usage)})" : ""));
        if (status == "success")
        {
            Verdict = new AgentVerdict(true);
            return;
        }

        var error = Child(message, "error", JsonValueKind.Object) is { } details ? Text(details, "message") : null;
        if (error is not null)
        {
            emit("! " + TerminalText.FirstLine(error));
        }

        Verdict = new AgentVerdict(false, $"Gemini CLI reported '{status}'" + (error is null ? "." : $": {TerminalText.FirstLine(error, 500)}"));
    }

    private void FlushChunks(Action<string> emit)
    {
        if (_chunks.Length > 0)
        {
            EmitText(_chunks.ToString(), emit);
            _chunks.Clear();
        }
    }
}
