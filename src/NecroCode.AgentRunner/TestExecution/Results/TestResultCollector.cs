using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>
/// Runs a task's tests through the <see cref="ITestRunner"/> and reads the result files the run wrote (those matching
/// <see cref="TestRunnerOptions.Results"/> that are new or changed) into its <see cref="TestRunResult.Cases"/>. A
/// result file the run created is deleted once read, so that it never reaches the task's commit. A case reported
/// twice (by two files, or twice in one) is one case that failed when any report failed.
/// </summary>
internal sealed class TestResultCollector(ITestRunner tests, IOptions<TestRunnerOptions> options)
{
    /// <summary>Runs the tests and reads their results.</summary>
    /// <param name="request">The run.</param>
    /// <param name="cancellationToken">Stops the tests.</param>
    /// <returns>The run's result with its cases and any warnings about its result files.</returns>
    public async Task<TestRunResult> RunAsync(TestRequest request, CancellationToken cancellationToken)
    {
        var globs = ResultGlobs.Parse(options.Value.Results);
        var before = ResultFileSnapshot.Take(request.WorkspacePath, globs);
        var result = await tests.RunAsync(request, cancellationToken).ConfigureAwait(false);
        var cases = new Dictionary<string, TestCaseResult>(StringComparer.Ordinal);
        var warnings = new List<string>(result.Warnings);
        foreach (var (file, isNew) in before.Written(globs))
        {
            var source = before.Relative(file);
            var (read, error) = TestResultFile.Read(file, source, options.Value.ResultFileLimit);
            if (error is not null)
            {
                warnings.Add(error + " The tests are judged by their exit codes where no results were read.");
            }

            foreach (var testCase in read)
            {
                cases[testCase.Id] = cases.TryGetValue(testCase.Id, out var seen) ? Merge(seen, testCase) : testCase;
            }

            if (isNew)
            {
                TryDelete(file);
            }
        }

        return result with { Cases = result.Cases.Count > 0 ? result.Cases : [.. cases.Values], Warnings = warnings };
    }

    private static TestCaseResult Merge(TestCaseResult seen, TestCaseResult next) =>
        seen.Outcome == TestCaseOutcome.Failed || next.Outcome == TestCaseOutcome.Skipped ? seen
        : next.Outcome == TestCaseOutcome.Failed || seen.Outcome == TestCaseOutcome.Skipped ? next
        : seen;

    private static void TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in place: at worst it shows up in the change.
        }
    }
}
