using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Kiro;

/// <summary>Removes ANSI escape sequences (colours, cursor moves, OSC titles) from terminal output.</summary>
internal static partial class AnsiEscapeFilter
{
    public static string Strip(string text) =>
        text.Contains('\u001b', StringComparison.Ordinal) || text.Contains('\u009b', StringComparison.Ordinal) ? Escapes().Replace(text, "") : text;

    // CSI sequences (ESC [ … final byte), OSC sequences (ESC ] … BEL or ESC \), and two-byte escapes.
    [GeneratedRegex(@"(\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?|\u001b[@-Z\\-_]", RegexOptions.CultureInvariant)]
    private static partial Regex Escapes();
}

/// <summary>Forwards run events, stripping ANSI escapes from output lines first.</summary>
internal sealed class AnsiStrippingSink(IRunEventSink inner) : IRunEventSink
{
    public void Publish(RunEvent runEvent) =>
        inner.Publish(runEvent is OutputLine line ? line with { Text = AnsiEscapeFilter.Strip(line.Text) } : runEvent);
}
