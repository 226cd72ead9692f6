using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Runs the task's tests after the change and judges them: against the run's baseline when it has one (what would
/// fail the run is run again once to tell flaky cases apart — only when the run reported cases: a whole command's exit
/// code cannot say which test was flaky), by their outcome alone otherwise.
/// </summary>
internal sealed class TestJudge(TestResultCollector tests, TestBaseline baseline, ISecretMasker masker, IOptions<TestRunnerOptions> options)
{
    private const int Named = 20;

    /// <summary>Runs the tests and compares them with the baseline.</summary>
    /// <param name="context">The run.</param>
    /// <param name="request">The tests to run.</param>
    /// <param name="cancellationToken">Stops the tests.</param>
    /// <returns>The masked run, with its comparison when there is a baseline.</returns>
    public async Task<TestRunResult> RunAsync(RunContext context, TestRequest request, CancellationToken cancellationToken)
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
        if (!comparison.Accepted && options.Value.RerunFailures && run.Cases.Count > 0 && TestComparer.IsUsable(run))
        {
            context.Events.Publish(new RunWarning(request.StepName, $"{comparison.Blocking.Count} test(s) would fail the run; running the tests once more to tell flaky ones apart."));
            var rerun = await RunOnceAsync(request, cancellationToken).ConfigureAwait(false);
            comparison = TestComparer.MarkFlaky(comparison, rerun, failOn);
        }

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
            : "Failing the run compared with the baseline: " + string.Join("; ", blocking.Take(Named).Select(t => $"{t.Name} ({TestComparer.Describe(t.Class)})"))
              + (blocking.Count > Named ? $"; and {blocking.Count - Named} more" : "");
        return counts.Length == 0 ? head + "." : $"{head} (cases: {counts}).";
    }

    private async Task<TestRunResult> RunOnceAsync(TestRequest request, CancellationToken cancellationToken) =>
        TestResultMasking.Mask(await tests.RunAsync(request, cancellationToken).ConfigureAwait(false), masker);
}
