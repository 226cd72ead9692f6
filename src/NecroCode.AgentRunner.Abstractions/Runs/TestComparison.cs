using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner;

/// <summary>A test run after the change compared with the baseline run on the unchanged base.</summary>
/// <param name="BaseCommit">The commit the baseline ran on.</param>
/// <param name="BaselineOutcome">How the baseline run ended.</param>
/// <param name="Tests">Every case (and every test command), classified.</param>
public sealed record TestComparison(string BaseCommit, TestOutcome BaselineOutcome, IReadOnlyList<ClassifiedTest> Tests)
{
    /// <summary>Whether the baseline came from the runner's cache (another run on the same base took it).</summary>
    public bool BaselineCached { get; init; }

    /// <summary>Whether the tests ran a second time to tell flaky failures from real ones.</summary>
    public bool Rerun { get; init; }

    /// <summary>Whether nothing fails the run: no entry is blocking.</summary>
    public bool Accepted => Tests.All(t => !t.Blocking);

    /// <summary>The entries that fail the run.</summary>
    [JsonIgnore]
    public IReadOnlyList<ClassifiedTest> Blocking => [.. Tests.Where(t => t.Blocking)];

    /// <summary>How many entries (cases, not commands) each class holds; classes with none are left out.</summary>
    public IReadOnlyDictionary<TestCaseClass, int> Counts =>
        Tests.Where(t => !t.IsCommand).GroupBy(t => t.Class).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}
