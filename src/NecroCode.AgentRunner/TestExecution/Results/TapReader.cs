using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Reads TAP (version 13, or plain without a version line): each top-level <c>ok</c>/<c>not ok</c> line is a case named
/// by its description (<c>test N</c> without one), in a suite named after the file. A <c># SKIP</c> directive skips
/// it; a <c># TODO</c> case that fails was expected to and counts as skipped. The YAML block after a failing case is
/// its details. <c>Bail out!</c> adds a failing case <c>bail out</c>. Indented (subtest) lines are left to their parent.
/// </summary>
internal static partial class TapReader
{
    /// <summary>The cases of a TAP stream.</summary>
    /// <param name="text">The stream.</param>
    /// <param name="source">The file's relative path; its name without extension is the suite.</param>
    /// <param name="error">Why nothing was read, when the text holds no TAP.</param>
    /// <returns>The cases, in order.</returns>
    public static IReadOnlyList<TestCaseResult> Read(string text, string source, out string? error)
    {
        var suite = Path.GetFileNameWithoutExtension(source);
        var cases = new List<TestCaseResult>();
        var sawTap = false;
        StringBuilder? yaml = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (yaml is not null)
            {
                if (line.Trim() == "...")
                {
                    if (cases.Count > 0 && cases[^1].Outcome == TestCaseOutcome.Failed)
                    {
                        cases[^1] = cases[^1] with { Details = TestResultFile.Cut(yaml.ToString()) };
                    }

                    yaml = null;
                }
                else
                {
                    yaml.AppendLine(line.Trim());
                }

                continue;
            }

            if (line.Trim() == "---" && line.StartsWith(' ') && cases.Count > 0)
            {
                yaml = new StringBuilder();
                continue;
            }

            if (TestLine().Match(line) is { Success: true } match)
            {
                sawTap = true;
                cases.Add(Case(match, suite, source, cases.Count + 1));
            }
            else if (line.StartsWith("Bail out!", StringComparison.Ordinal))
            {
                sawTap = true;
                cases.Add(new TestCaseResult(suite, "bail out", TestCaseOutcome.Failed) { Message = TestResultFile.Cut(line["Bail out!".Length..]), Source = source });
            }
            else if (line.StartsWith("TAP version", StringComparison.OrdinalIgnoreCase) || PlanLine().IsMatch(line))
            {
                sawTap = true;
            }
        }

        error = sawTap ? null : $"The test result file '{source}' is neither JUnit XML, TRX nor TAP (no 'ok'/'not ok' line); it was ignored.";
        return cases;
    }

    private static TestCaseResult Case(Match match, string suite, string source, int position)
    {
        var failed = match.Groups["not"].Success;
        var number = int.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : position;
        var description = match.Groups["description"].Value.Trim();
        var directive = match.Groups["directive"].Value.Trim();
        var skip = directive.StartsWith("SKIP", StringComparison.OrdinalIgnoreCase);
        var todo = directive.StartsWith("TODO", StringComparison.OrdinalIgnoreCase);
        var outcome = skip || (todo && failed) ? TestCaseOutcome.Skipped : failed ? TestCaseOutcome.Failed : TestCaseOutcome.Passed;
        return new TestCaseResult(suite, description.Length > 0 ? description : $"test {number}", outcome)
        {
            Message = directive.Length > 0 ? directive : null,
            Source = source,
        };
    }

    [GeneratedRegex(@"^(?<not>not )?ok\b(?:\s+(?<number>\d+))?(?:\s*-)?(?<description>[^#]*)(?:#\s*(?<directive>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TestLine();

    [GeneratedRegex(@"^\d+\.\.\d+", RegexOptions.CultureInvariant)]
    private static partial Regex PlanLine();
}
