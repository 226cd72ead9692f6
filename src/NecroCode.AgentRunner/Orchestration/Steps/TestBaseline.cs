using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Takes the baseline before the agent works: the task's tests once on the prepared, unchanged base, or the cached
/// run of another task on the same base commit with the same test commands (<see cref="TestRunnerOptions.Baseline"/>).
/// </summary>
internal sealed class TestBaseline(
    TestResultCollector tests, BaselineCache cache, RunCredentialsFactory credentials, ISecretMasker masker,
    IOptions<TestRunnerOptions> testOptions, IOptions<AgentRunnerOptions> options)
{
    /// <summary>The step name of the baseline run's output.</summary>
    public const string StepName = "baseline";

    /// <summary>Takes the baseline of <paramref name="context"/> into <see cref="RunContext.Baseline"/>, when one is wanted.</summary>
    /// <param name="context">The run (its workspace is prepared and unchanged).</param>
    /// <param name="step">The step that asks (for a failing verdict).</param>
    /// <param name="cancellationToken">Stops the tests.</param>
    /// <returns>Null to go on; a failing verdict when the baseline is required and could not be taken.</returns>
    public async Task<StepVerdict?> TakeAsync(RunContext context, string step, CancellationToken cancellationToken)
    {
        if (context.Baseline is not null || !Wanted(context))
        {
            return null;
        }

        var baseCommit = context.Workspace!.BaseCommit;
        var (result, cached) = await cache.GetOrTakeAsync(Folder, Key(context), token => RunAsync(context, token), cancellationToken).ConfigureAwait(false);
        if (TestComparer.IsUsable(result))
        {
            context.Baseline = new TestBaselineRun(baseCommit, result, cached);
            return null;
        }

        var why = result.Commands.FirstOrDefault(c => c.Outcome is not (TestOutcome.Passed or TestOutcome.Failed or TestOutcome.Skipped)) is { } broken
            ? $"'{broken.Command}' ended {broken.Outcome.ToString().ToLowerInvariant()}{Reason(broken)}"
            : "no test command ran";
        var message = $"The baseline test run on {baseCommit} could not be taken ({why.TrimEnd('.')}).";
        if (testOptions.Value.Baseline == TestBaselineMode.Always)
        {
            return StepVerdict.Fail(RunOutcome.TestsFailed, step, message + " NecroCode:Tests:Baseline is Always, so the agent did not start.");
        }

        context.Events.Publish(new RunWarning(StepName, message + " Every failing test fails the run."));
        return null;
    }

    /// <summary>The cached baseline of a resumed run that skipped taking it; null when there is none or none is wanted.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The baseline, or null.</returns>
    public TestBaselineRun? Cached(RunContext context) =>
        context.Workspace is { } workspace && Wanted(context) && BaselineCache.TryLoad(Folder, Key(context)) is { } result
            ? new TestBaselineRun(workspace.BaseCommit, result, Cached: true)
            : null;

    /// <summary>Why a command did not give a usable result, in one short line (the end of its error output).</summary>
    private static string Reason(TestCommandResult command)
    {
        var error = (command.StopMessage ?? command.StandardError).Trim();
        return error.Length == 0 ? "" : ": " + (error.Length <= 300 ? error : "…" + error[^300..]);
    }

    private string Folder => Path.Combine(RunDirectories.Work(options.Value), "baselines");

    private string Key(RunContext context) => BaselineCache.Key(context.Workspace!.BaseCommit, context.Task.TestCommands, testOptions.Value.Results);

    private bool Wanted(RunContext context) =>
        testOptions.Value.Baseline != TestBaselineMode.Never && context.Playbook.Steps.Any(s => s.Uses == PlaybookBuiltInSteps.Test);

    private async Task<TestRunResult> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var request = new TestRequest(context.Workspace!.Path, context.Task.TestCommands, FailFast: false, context.Events, StepName)
        {
            Environment = credentials.HiddenEnvironment(context.Secrets),
            Baseline = true,
        };
        return TestResultMasking.Mask(await tests.RunAsync(request, cancellationToken).ConfigureAwait(false), masker);
    }
}

/// <summary>The baseline a run compares its tests with.</summary>
/// <param name="BaseCommit">The commit it ran on.</param>
/// <param name="Result">The run.</param>
/// <param name="Cached">Whether another run took it.</param>
internal sealed record TestBaselineRun(string BaseCommit, TestRunResult Result, bool Cached);
