using System.Globalization;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Runs the task's tests after the change and judges them: against the run's baseline when it has one (what would
/// fail the run is run again once to tell flaky failures apart), by their outcome alone otherwise. Each comparison
/// is recorded in the registry as a <see cref="TaskEventTypes.TestsCompared"/> event.
/// </summary>
internal sealed class TestJudge(TestResultCollector tests, TestBaseline baseline, TaskEventWriter taskEvents, ISecretMasker masker, IOptions<TestRunnerOptions> options)
{
    private const int NamedInEvent = 20;

    /// <summary>Runs the tests and compares them with the baseline.</summary>
    /// <param name="context">The run.</param>
    /// <param name="request">The tests to run.</param>
    /// <param name="attempt">The agent attempt whose change is tested.</param>
    /// <param name="cancellationToken">Stops the tests.</param>
    /// <returns>The masked run, with its comparison when there is a baseline.</returns>
    public async Task<TestRunResult> RunAsync(RunContext context, TestRequest request, int attempt, CancellationToken cancellationToken)
    {
        var run = await RunOnceAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var warning in run.Warnings)
        {
            context.Events.Publish(new RunWarning(request.StepName, warning));
        }

        context.Baseline ??= baseline.Cached(context);
        if (context.Baseline is not { } taken)
        {
            return run;
        }

        var failOn = TestFailOn.Parse(options.Value.FailOn);
        var comparison = TestComparer.Compare(taken.BaseCommit, taken.Result, run, failOn) with { BaselineCached = taken.Cached };
        if (!comparison.Accepted && options.Value.RerunFailures && TestComparer.IsUsable(run))
        {
            context.Events.Publish(new RunWarning(request.StepName, $"{comparison.Blocking.Count} test(s) would fail the run; running the tests once more to tell flaky ones apart."));
            var rerun = await RunOnceAsync(request, cancellationToken).ConfigureAwait(false);
            comparison = TestComparer.MarkFlaky(comparison, rerun, failOn);
        }

        await taskEvents.AppendAsync(context, TaskEventTypes.TestsCompared, Summary(comparison), Data(comparison, attempt), cancellationToken).ConfigureAwait(false);
        return run with { Comparison = comparison };
    }

    /// <summary>One line naming what fails the run, or saying that nothing does.</summary>
    /// <param name="comparison">The comparison.</param>
    /// <returns>The line.</returns>
    public static string Summary(TestComparison comparison)
    {
        var counts = string.Join(", ", comparison.Counts.Select(p => $"{p.Value} {TestComparer.Describe(p.Key)}"));
        var blocking = comparison.Blocking;
        var head = blocking.Count == 0
            ? "Nothing fails the run compared with the baseline"
            : "Failing the run compared with the baseline: " + string.Join("; ", blocking.Take(NamedInEvent).Select(t => $"{t.Name} ({TestComparer.Describe(t.Class)})"))
              + (blocking.Count > NamedInEvent ? $"; and {blocking.Count - NamedInEvent} more" : "");
        return counts.Length == 0 ? head + "." : $"{head} (cases: {counts}).";
    }

    private async Task<TestRunResult> RunOnceAsync(TestRequest request, CancellationToken cancellationToken) =>
        TestResultMasking.Mask(await tests.RunAsync(request, cancellationToken).ConfigureAwait(false), masker);

    private static Dictionary<string, string> Data(TestComparison comparison, int attempt)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
            ["baseCommit"] = comparison.BaseCommit,
            ["baselineCached"] = comparison.BaselineCached ? "true" : "false",
            ["accepted"] = comparison.Accepted ? "true" : "false",
            ["rerun"] = comparison.Rerun ? "true" : "false",
        };
        foreach (var (@class, count) in comparison.Counts)
        {
            data[char.ToLowerInvariant(@class.ToString()[0]) + @class.ToString()[1..]] = count.ToString(CultureInfo.InvariantCulture);
        }

        if (comparison.Blocking is { Count: > 0 } blocking)
        {
            data["blocking"] = string.Join("\n", blocking.Take(NamedInEvent).Select(t => $"{t.Class}: {t.Name}"));
        }

        return data;
    }
}
