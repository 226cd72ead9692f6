using System.Globalization;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>Helpers that turn agent output into plain log lines.</summary>
internal static partial class TerminalText
{
    /// <summary>Longest rendered summary of a tool call or tool error.</summary>
    public const int SummaryLength = 200;

    /// <summary>Removes terminal escape sequences (colours, cursor moves, window titles).</summary>
    public static string StripEscapes(string text) =>
        text.Contains('\u001b', StringComparison.Ordinal) || text.Contains('\u009b', StringComparison.Ordinal) ? Escapes().Replace(text, "") : text;

    /// <summary>The first non-blank line of <paramref name="text"/>, shortened to <paramref name="length"/> characters.</summary>
    public static string FirstLine(string? text, int length = SummaryLength)
    {
        var line = (text ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return Shorten(line, length);
    }

    /// <summary><paramref name="text"/> cut to <paramref name="length"/> characters, with an ellipsis when cut.</summary>
    public static string Shorten(string text, int length = SummaryLength) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    /// <summary>A usage figure as text, e.g. <c>1200 input / 340 output tokens, $0.0123</c>.</summary>
    public static string Describe(AgentUsage usage)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{usage.InputTokens} input / {usage.OutputTokens} output tokens");
        if (usage.CachedInputTokens is { } cached)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" ({cached} cached)");
        }

        if (usage.CostUsd is { } cost)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", ${cost:0.####}");
        }

        return text;
    }

    // CSI (ESC [ or the one-character CSI U+009B, … final byte), OSC (ESC ] … BEL or ESC \) and two-character escapes.
    [GeneratedRegex(@"(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]", RegexOptions.CultureInvariant)]
    private static partial Regex Escapes();
}
