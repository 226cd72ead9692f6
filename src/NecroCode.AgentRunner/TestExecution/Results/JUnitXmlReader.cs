using System.Globalization;
using System.Xml.Linq;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Reads JUnit XML as pytest, Maven Surefire, Gradle, jest-junit and go-junit-report write it: <c>testcase</c> elements
/// anywhere under <c>testsuites</c>/<c>testsuite</c>, failed by a <c>failure</c> or <c>error</c> child, skipped by a
/// <c>skipped</c> child. A Surefire case that failed and then passed on its own rerun (<c>flakyFailure</c>) passed.
/// </summary>
internal static class JUnitXmlReader
{
    /// <summary>The cases under <paramref name="root"/>.</summary>
    /// <param name="root">The <c>testsuites</c> or <c>testsuite</c> element.</param>
    /// <param name="source">The file's relative path.</param>
    /// <returns>The cases, in document order.</returns>
    public static IReadOnlyList<TestCaseResult> Read(XElement root, string source)
    {
        var cases = new List<TestCaseResult>();
        foreach (var testCase in root.DescendantsAndSelf().Where(e => e.Name.LocalName == "testcase"))
        {
            var suite = (string?)testCase.Attribute("classname")
                ?? testCase.Ancestors().FirstOrDefault(a => a.Name.LocalName == "testsuite")?.Attribute("name")?.Value
                ?? "";
            var name = (string?)testCase.Attribute("name") ?? "";
            var failure = Child(testCase, "failure") ?? Child(testCase, "error");
            var skipped = Child(testCase, "skipped");
            var outcome = failure is not null ? TestCaseOutcome.Failed : skipped is not null ? TestCaseOutcome.Skipped : TestCaseOutcome.Passed;
            var reason = failure ?? skipped;
            cases.Add(new TestCaseResult(suite, name, outcome)
            {
                Message = TestResultFile.Cut((string?)reason?.Attribute("message") ?? (failure is null ? null : (string?)failure.Attribute("type"))),
                Details = failure is null ? null : TestResultFile.Cut(failure.Value),
                Duration = Seconds((string?)testCase.Attribute("time")),
                Source = source,
            });
        }

        return cases;
    }

    private static XElement? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static TimeSpan? Seconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
