namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>The end of an agent's output, as a failed attempt's error quotes it.</summary>
public static class OutputTail
{
    /// <summary>
    /// Quotes the last lines of <paramref name="text"/>: terminal escape sequences removed, each line trimmed, blank
    /// lines skipped, the last <paramref name="lines"/> joined with <paramref name="separator"/> and cut to their last
    /// <paramref name="maxLength"/> characters, after <paramref name="label"/>.
    /// </summary>
    /// <param name="label">What precedes the lines, e.g. <c>Last error output: </c>.</param>
    /// <param name="text">The output, e.g. <see cref="ProcessResult.StandardError"/>.</param>
    /// <param name="lines">How many lines are kept at the most.</param>
    /// <param name="separator">What joins the lines, e.g. <c> | </c>.</param>
    /// <param name="maxLength">The longest the joined lines may be; the start is cut.</param>
    /// <returns>The quote; empty when the output has no non-blank line.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lines"/> or <paramref name="maxLength"/> is not positive.</exception>
    public static string Quote(string label, string text, int lines, string separator, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(separator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        var kept = TerminalText.StripEscapes(text).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(lines);
        var tail = string.Join(separator, kept);
        if (tail.Length == 0)
        {
            return "";
        }

        return label + (tail.Length > maxLength ? tail[^maxLength..] : tail);
    }
}
