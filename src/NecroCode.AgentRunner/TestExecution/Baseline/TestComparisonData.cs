using System.Globalization;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// The comparison with the baseline as data of the run's completion event in the registry: <c>tests:baseCommit</c>,
/// <c>tests:baselineCached</c>, <c>tests:rerun</c>, <c>tests:accepted</c>, a count per class of case
/// (<c>tests:regressed</c>, <c>tests:stillFailing</c> …) and <c>tests:blocking</c>, one <c>Class: name</c> a line (the first 20).
/// </summary>
internal static class TestComparisonData
{
    private const int Named = 20;

    /// <summary><paramref name="data"/> with the comparison's entries added; unchanged without a comparison.</summary>
    /// <param name="data">The event's data.</param>
    /// <param name="comparison">The last test run's comparison, if any.</param>
    /// <returns>The data.</returns>
    public static IReadOnlyDictionary<string, string> AddTo(IReadOnlyDictionary<string, string> data, TestComparison? comparison)
    {
        if (comparison is null)
        {
            return data;
        }

        var added = new Dictionary<string, string>(data, StringComparer.Ordinal)
        {
            ["tests:baseCommit"] = comparison.BaseCommit,
            ["tests:baselineCached"] = comparison.BaselineCached ? "true" : "false",
            ["tests:rerun"] = comparison.Rerun ? "true" : "false",
            ["tests:accepted"] = comparison.Accepted ? "true" : "false",
        };
        foreach (var (@class, count) in comparison.Counts)
        {
            var name = @class.ToString();
            added["tests:" + char.ToLowerInvariant(name[0]) + name[1..]] = count.ToString(CultureInfo.InvariantCulture);
        }

        if (comparison.Blocking is { Count: > 0 } blocking)
        {
            added["tests:blocking"] = string.Join("\n", blocking.Take(Named).Select(t => $"{t.Class}: {t.Name}"));
        }

        return added;
    }
}
