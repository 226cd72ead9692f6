namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Classifies a test run after the change against the baseline run on the unchanged base, case by case when the run
/// after the change reported cases, and command by command by exit code always.
/// </summary>
/// <remarks>
/// A command is <see cref="TestCaseClass.StillFailing"/> only when it failed with a non-zero exit code both times, and
/// it is not when the baseline reported cases that are missing now (a test project that no longer builds reports
/// none): it then counts as <see cref="TestCaseClass.Regressed"/>. A command that timed out, could not start or broke a
/// limit after the change always fails the run.
/// </remarks>
internal static class TestComparer
{
    /// <summary>Compares <paramref name="after"/> with <paramref name="baseline"/>.</summary>
    /// <param name="baseCommit">The commit the baseline ran on.</param>
    /// <param name="baseline">The baseline run (every command passed or failed).</param>
    /// <param name="after">The run after the change.</param>
    /// <param name="failOn">The classes that fail the run.</param>
    /// <returns>The comparison.</returns>
    public static TestComparison Compare(string baseCommit, TestRunResult baseline, TestRunResult after, IReadOnlySet<TestCaseClass> failOn)
    {
        var tests = new List<ClassifiedTest>();
        var before = Index(baseline.Cases);
        var now = Index(after.Cases);
        foreach (var testCase in now.Values)
        {
            var previous = before.GetValueOrDefault(testCase.Id)?.Outcome;
            var @class = Classify(previous, testCase.Outcome);
            tests.Add(new ClassifiedTest(testCase.Id, @class, failOn.Contains(@class))
            {
                Before = previous,
                After = testCase.Outcome,
                Message = testCase.Outcome == TestCaseOutcome.Failed ? testCase.Message : null,
            });
        }

        var removed = before.Values.Where(c => !now.ContainsKey(c.Id)).ToList();
        tests.AddRange(removed.Select(c => new ClassifiedTest(c.Id, TestCaseClass.Removed, failOn.Contains(TestCaseClass.Removed)) { Before = c.Outcome }));
        var missing = removed.Count > 0 ? $"{removed.Count} test case(s) of the baseline were not reported" : null;
        for (var i = 0; i < after.Commands.Count; i++)
        {
            var command = after.Commands[i];
            var previous = baseline.Commands.FirstOrDefault(c => c.Command == command.Command);
            tests.Add(ClassifyCommand(previous, command, missing, failOn));
        }

        return new TestComparison(baseCommit, baseline.Outcome, tests);
    }

    /// <summary>
    /// Marks what would fail the run but passed when the tests ran again as <see cref="TestCaseClass.Flaky"/>.
    /// </summary>
    /// <param name="comparison">The comparison of the first run after the change.</param>
    /// <param name="rerun">The second run.</param>
    /// <param name="failOn">The classes that fail the run.</param>
    /// <returns>The comparison with its flaky entries marked.</returns>
    public static TestComparison MarkFlaky(TestComparison comparison, TestRunResult rerun, IReadOnlySet<TestCaseClass> failOn)
    {
        var cases = Index(rerun.Cases);
        var commands = rerun.Commands.GroupBy(c => c.Command, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Outcome, StringComparer.Ordinal);
        bool PassedAgain(ClassifiedTest test) => test.IsCommand
            ? commands.GetValueOrDefault(test.Name, TestOutcome.Failed) == TestOutcome.Passed
            : cases.GetValueOrDefault(test.Name)?.Outcome == TestCaseOutcome.Passed;

        var tests = comparison.Tests
            .Select(t => t.Blocking && t.After is TestCaseOutcome.Failed && PassedAgain(t) ? t with { Class = TestCaseClass.Flaky, Blocking = failOn.Contains(TestCaseClass.Flaky) } : t)
            .ToList();
        return comparison with { Tests = tests, Rerun = true };
    }

    /// <summary>Whether a run can serve as a baseline: every command passed, failed with an exit code, or was skipped.</summary>
    /// <param name="baseline">The run.</param>
    /// <returns>Whether it can.</returns>
    public static bool IsUsable(TestRunResult baseline) =>
        baseline.Commands.Count > 0 && baseline.Commands.All(c => c.Outcome is TestOutcome.Passed or TestOutcome.Failed or TestOutcome.Skipped);

    /// <summary>The name of a class in messages: <c>still failing</c>, <c>new failing</c> ….</summary>
    /// <param name="class">The class.</param>
    /// <returns>Its name.</returns>
    public static string Describe(TestCaseClass @class) => @class switch
    {
        TestCaseClass.StillFailing => "still failing",
        TestCaseClass.NewPassing => "new passing",
        TestCaseClass.NewFailing => "new failing",
        _ => @class.ToString().ToLowerInvariant(),
    };

    private static TestCaseClass Classify(TestCaseOutcome? before, TestCaseOutcome after) => (before, after) switch
    {
        (_, TestCaseOutcome.Skipped) => TestCaseClass.Skipped,
        (null, TestCaseOutcome.Passed) => TestCaseClass.NewPassing,
        (null, _) => TestCaseClass.NewFailing,
        (TestCaseOutcome.Failed, TestCaseOutcome.Passed) => TestCaseClass.Fixed,
        (TestCaseOutcome.Failed, _) => TestCaseClass.StillFailing,
        (_, TestCaseOutcome.Passed) => TestCaseClass.Passing,
        _ => TestCaseClass.Regressed,
    };

    private static ClassifiedTest ClassifyCommand(TestCommandResult? before, TestCommandResult after, string? missing, IReadOnlySet<TestCaseClass> failOn)
    {
        var wasPassing = before?.Outcome == TestOutcome.Passed;
        var entry = new ClassifiedTest(after.Command, TestCaseClass.Passing, false)
        {
            IsCommand = true,
            Before = before is null ? null : Outcome(before.Outcome),
            After = Outcome(after.Outcome),
        };
        return after.Outcome switch
        {
            TestOutcome.Skipped => entry with { Class = TestCaseClass.Skipped },
            TestOutcome.Passed => entry with { Class = before is null ? TestCaseClass.NewPassing : wasPassing ? TestCaseClass.Passing : TestCaseClass.Fixed },
            TestOutcome.Failed when before is null => entry with { Class = TestCaseClass.NewFailing, Blocking = failOn.Contains(TestCaseClass.NewFailing) },
            TestOutcome.Failed when before.Outcome == TestOutcome.Failed && missing is null =>
                entry with { Class = TestCaseClass.StillFailing, Blocking = failOn.Contains(TestCaseClass.StillFailing) },
            TestOutcome.Failed => entry with
            {
                Class = TestCaseClass.Regressed,
                Blocking = failOn.Contains(TestCaseClass.Regressed),
                Message = before.Outcome == TestOutcome.Failed ? $"It failed on the base as well, but {missing}." : "It passed on the base.",
            },
            _ => entry with { Class = TestCaseClass.Regressed, Blocking = true, Message = $"It ended {after.Outcome.ToString().ToLowerInvariant()} after the change." },
        };
    }

    private static TestCaseOutcome Outcome(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => TestCaseOutcome.Passed,
        TestOutcome.Skipped => TestCaseOutcome.Skipped,
        _ => TestCaseOutcome.Failed,
    };

    private static Dictionary<string, TestCaseResult> Index(IReadOnlyList<TestCaseResult> cases)
    {
        var index = new Dictionary<string, TestCaseResult>(StringComparer.Ordinal);
        foreach (var testCase in cases)
        {
            index.TryAdd(testCase.Id, testCase);
        }

        return index;
    }
}
