using System.Globalization;
using System.Xml.Linq;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Reads a TRX file (<c>dotnet test --logger trx</c>): each <c>UnitTestResult</c>, its class from the matching
/// <c>UnitTest</c>'s <c>TestMethod</c>. <c>Passed</c> passed; <c>NotExecuted</c>, <c>Inconclusive</c> and
/// <c>Pending</c> were skipped; every other outcome (Failed, Error, Timeout, Aborted …) failed.
/// </summary>
internal static class TrxReader
{
    private static readonly HashSet<string> SkippedOutcomes = new(StringComparer.OrdinalIgnoreCase) { "NotExecuted", "Inconclusive", "Pending", "NotRunnable", "Disconnected", "Warning" };

    /// <summary>The cases of the run.</summary>
    /// <param name="root">The <c>TestRun</c> element.</param>
    /// <param name="source">The file's relative path.</param>
    /// <returns>The cases, in document order.</returns>
    public static IReadOnlyList<TestCaseResult> Read(XElement root, string source)
    {
        var classes = root.Descendants().Where(e => e.Name.LocalName == "UnitTest")
            .Select(e => ((string?)e.Attribute("id"), (string?)Child(e, "TestMethod")?.Attribute("className")))
            .Where(p => p.Item1 is not null)
            .GroupBy(p => p.Item1!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Item2 ?? "", StringComparer.OrdinalIgnoreCase);
        var cases = new List<TestCaseResult>();
        foreach (var result in root.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            var suite = (string?)result.Attribute("testId") is { } id && classes.TryGetValue(id, out var className) ? ClassName(className) : "";
            var name = (string?)result.Attribute("testName") ?? "";
            if (suite.Length > 0 && name.StartsWith(suite + ".", StringComparison.Ordinal))
            {
                name = name[(suite.Length + 1)..];
            }

            var outcomeText = (string?)result.Attribute("outcome") ?? "";
            var outcome = outcomeText.Equals("Passed", StringComparison.OrdinalIgnoreCase) ? TestCaseOutcome.Passed
                : SkippedOutcomes.Contains(outcomeText) ? TestCaseOutcome.Skipped
                : TestCaseOutcome.Failed;
            var error = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "ErrorInfo");
            cases.Add(new TestCaseResult(suite, name, outcome)
            {
                Message = TestResultFile.Cut(error is null ? null : Child(error, "Message")?.Value),
                Details = outcome == TestCaseOutcome.Failed && error is not null ? TestResultFile.Cut(Child(error, "StackTrace")?.Value) : null,
                Duration = TimeSpan.TryParse((string?)result.Attribute("duration"), CultureInfo.InvariantCulture, out var duration) ? duration : null,
                Source = source,
            });
        }

        return cases;
    }

    /// <summary>The class name without the assembly part some writers add (<c>Ns.Class, Assembly</c>).</summary>
    private static string ClassName(string className) => className.Split(',', 2)[0].Trim();

    private static XElement? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);
}
