using System.Text;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// Cuts failing test output down to a size an agent can use, keeping the most useful part: every
/// line that looks like a compiler or test failure, then as much of the end as fits.
/// </summary>
internal static partial class FailureOutputTrimmer
{
    /// <summary>Summarises a failed test run for a fix prompt.</summary>
    /// <param name="tests">The failed test run (its output is already masked).</param>
    /// <param name="limit">The most characters to return.</param>
    /// <returns>The trimmed text, at most <paramref name="limit"/> characters.</returns>
    public static string Trim(TestRunResult tests, int limit)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var text = new StringBuilder();
        foreach (var command in tests.Commands.Where(c => c.Outcome is not (TestOutcome.Passed or TestOutcome.Skipped)))
        {
            text.Append("$ ").Append(command.Command).Append("  # ").Append(command.Outcome).Append(", exit code ")
                .AppendLine(command.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
            text.AppendLine(command.StandardOutput.TrimEnd());
            if (!string.IsNullOrWhiteSpace(command.StandardError))
            {
                text.AppendLine(command.StandardError.TrimEnd());
            }
        }

        return Trim(text.ToString(), limit);
    }

    /// <summary>Cuts <paramref name="output"/> to <paramref name="limit"/> characters, keeping failure lines and the end.</summary>
    /// <param name="output">The output.</param>
    /// <param name="limit">The most characters to return.</param>
    /// <returns>The trimmed text.</returns>
    public static string Trim(string output, int limit)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 100);
        if (output.Length <= limit)
        {
            return output;
        }

        const string Marker = "[… output trimmed …]";
        var lines = output.Split('\n');
        var important = lines.Where(l => FailureLine().IsMatch(l)).Select(l => l.TrimEnd('\r')).Distinct(StringComparer.Ordinal).ToList();
        var head = new StringBuilder();
        foreach (var line in important)
        {
            if (head.Length + line.Length + 1 > limit / 2)
            {
                break;
            }

            head.AppendLine(line);
        }

        var room = limit - head.Length - Marker.Length - 2;
        var tail = output[^Math.Max(0, room)..];
        var firstBreak = tail.IndexOf('\n', StringComparison.Ordinal);
        if (firstBreak >= 0 && firstBreak < tail.Length - 1)
        {
            tail = tail[(firstBreak + 1)..];
        }

        return head + Marker + "\n" + tail;
    }

    [GeneratedRegex(@"\b(error|fail(ed|ure)?|exception|assert(ion)?|expected|panic|traceback)\b|\berror [A-Z]+\d+|:\d+:\d+:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FailureLine();
}
