using System.Globalization;
using System.Text.Json;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Reads <c>codex exec --json</c>: <c>thread.started</c>, <c>turn.started</c>, <c>item.started</c>/<c>item.updated</c>/
/// <c>item.completed</c> (items: <c>agent_message</c>, <c>reasoning</c>, <c>command_execution</c>, <c>file_change</c>,
/// <c>mcp_tool_call</c>, <c>web_search</c>, <c>todo_list</c>, <c>error</c>), <c>turn.completed</c> with <c>usage</c>
/// (<c>input_tokens</c>, <c>cached_input_tokens</c>, <c>output_tokens</c>), <c>turn.failed</c> and <c>error</c>.
/// Only completed items are rendered, so each shows once. Each completed or failed turn counts as a turn; its usage is
/// added as it arrives.
/// </summary>
internal sealed class CodexJsonParser : JsonLinesOutputParser
{
    /// <inheritdoc />
    protected override void OnMessage(JsonElement message, Action<string> emit)
    {
        switch (Text(message, "type"))
        {
            case "thread.started":
                emit("Codex started" + (Text(message, "thread_id") is { } thread ? $" (thread {thread})" : ""));
                break;
            case "item.completed" when Child(message, "item", JsonValueKind.Object) is { } item:
                OnItem(item, emit);
                break;
            case "turn.completed":
                CountTurn();
                if (Child(message, "usage", JsonValueKind.Object) is { } usage)
                {
                    AddUsage(new AgentUsage(Whole(usage, "input_tokens") ?? 0, Whole(usage, "output_tokens") ?? 0, Whole(usage, "cached_input_tokens")));
                }

                Verdict = new AgentVerdict(true);
                emit("Result: turn completed" + (Usage is { } total ? $" ({TerminalText.Describe(total)})" : ""));
                break;
            case "turn.failed":
                CountTurn();
                var reason = Child(message, "error", JsonValueKind.Object) is { } error ? Text(error, "message") : null;
                Verdict = new AgentVerdict(false, "Codex reported a failed turn" + (reason is null ? "." : $": {TerminalText.FirstLine(reason, 500)}"));
                emit("Result: turn failed" + (reason is null ? "" : $": {TerminalText.FirstLine(reason)}"));
                break;
            case "error":
                // Usually fatal; a later turn.completed (e.g. after a reconnect) overrides it.
                var text = Text(message, "message") ?? "unknown error";
                Verdict = new AgentVerdict(false, "Codex reported an error: " + TerminalText.FirstLine(text, 500));
                emit("! error: " + TerminalText.FirstLine(text));
                break;
        }
    }

    private static void OnItem(JsonElement item, Action<string> emit)
    {
        switch (Text(item, "type") ?? Text(item, "item_type"))
        {
            case "agent_message" or "assistant_message":
                EmitText(Text(item, "text"), emit);
                break;
            case "command_execution":
                var exit = Whole(item, "exit_code") is { } code ? string.Create(CultureInfo.InvariantCulture, $" (exit {code})") : "";
                emit("$ " + TerminalText.FirstLine(Text(item, "command")) + exit);
                break;
            case "file_change":
                var changes = Child(item, "changes", JsonValueKind.Array) is { } list
                    ? list.EnumerateArray().Select(c => $"{Text(c, "kind") ?? "update"} {Text(c, "path")}").ToList()
                    : [];
                emit("> edit " + TerminalText.Shorten(string.Join(", ", changes)));
                break;
            case "mcp_tool_call":
                emit($"> tool {Text(item, "server")}.{Text(item, "tool")}" + (Text(item, "status") is { } status ? $" ({status})" : ""));
                break;
            case "web_search":
                emit("> search " + TerminalText.FirstLine(Text(item, "query")));
                break;
            case "error":
                emit("! " + TerminalText.FirstLine(Text(item, "message")));
                break;
        }
    }
}
