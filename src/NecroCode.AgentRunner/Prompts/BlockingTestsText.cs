using System.Globalization;
using System.Text;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// The failure text of a fix prompt when the tests were compared with a baseline: only what fails the run
/// (regressions and new failures, by default), never the failures that were there before the change.
/// </summary>
internal static class BlockingTestsText
{
    /// <summary>The text for the blocking entries of <paramref name="tests"/>' comparison.</summary>
    /// <param name="tests">The masked, compared test run.</param>
    /// <param name="limit">The most characters to return.</param>
    /// <returns>The text, at most <paramref name="limit"/> characters.</returns>
    public static string Build(TestRunResult tests, int limit)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var comparison = tests.Comparison ?? throw new ArgumentException("The test run has no comparison.", nameof(tests));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Compared with the same tests on the base commit {comparison.BaseCommit}, these fail because of the change; failures that were there before the change are left out and are not yours to fix.");
        var cases = tests.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var entry in comparison.Blocking.Where(t => !t.IsCommand))
        {
            text.Append("- ").Append(entry.Name).Append(" (").Append(TestExecution.TestComparer.Describe(entry.Class)).Append(')');
            if (entry.Message is { } message)
            {
                text.Append(": ").Append(message);
            }

            text.AppendLine();
            if (cases.TryGetValue(entry.Name, out var testCase) && testCase.Details is { } details)
            {
                text.AppendLine(details);
            }
        }

        var commands = comparison.Blocking.Where(t => t.IsCommand).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var failing = tests.Commands.Where(c => commands.Contains(c.Command)).ToList();
        if (failing.Count > 0)
        {
            text.AppendLine(FailureOutputTrimmer.Trim(tests with { Commands = failing }, Math.Max(limit / 2, 100)));
        }

        return FailureOutputTrimmer.Trim(text.ToString(), limit);
    }
}
