using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Takes the baseline before the agent works: the task's tests once on the prepared, unchanged base, or the cached
/// run of another task on the same base commit with the same test commands (<see cref="TestRunnerOptions.Baseline"/>).
/// The files the baseline run added to the workspace (outside .gitignore) are removed again, so that the agent's
/// change starts from the base.
/// </summary>
internal sealed class TestBaseline(
    TestResultCollector tests, BaselineCache cache, IWorkspaceManager workspace, RunCredentialsFactory credentials, ISecretMasker masker,
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

    /// <summary>
    /// Whether the run wants a baseline: the playbook has a test step, and — with <see cref="TestBaselineMode.Auto"/> —
    /// no command step before it (a playbook that installs or builds before testing would have the baseline run
    /// without that, and a failure it causes would hide the change's failures).
    /// </summary>
    private bool Wanted(RunContext context)
    {
        var steps = context.Playbook.Steps;
        var test = steps.ToList().FindIndex(s => s.Uses == PlaybookBuiltInSteps.Test);
        return testOptions.Value.Baseline switch
        {
            TestBaselineMode.Never => false,
            TestBaselineMode.Always => test >= 0,
            _ => test >= 0 && steps.Take(test).All(s => s.IsBuiltIn),
        };
    }

    private async Task<TestRunResult> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var request = new TestRequest(context.Workspace!.Path, context.Task.TestCommands, FailFast: false, context.Events, StepName)
        {
            Environment = credentials.HiddenEnvironment(context.Secrets),
            Baseline = true,
        };
        var result = TestResultMasking.Mask(await tests.RunAsync(request, cancellationToken).ConfigureAwait(false), masker);
        await CleanUpAsync(context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Removes the files the baseline run added; a tracked file it changed is a warning (it stays, and becomes part of the change).</summary>
    private async Task CleanUpAsync(RunContext context, CancellationToken cancellationToken)
    {
        var prepared = context.Workspace!;
        var left = await workspace.GetDiffAsync(prepared.Path, prepared.BaseCommit, cancellationToken).ConfigureAwait(false);
        foreach (var added in left.Changes.Where(c => c.Kind == FileChangeKind.Added))
        {
            File.Delete(Path.Combine(prepared.Path, added.Path));
        }

        if (left.Changes.Where(c => c.Kind != FileChangeKind.Added).Select(c => c.Path).ToList() is { Count: > 0 } changed)
        {
            context.Events.Publish(new RunWarning(StepName, $"The baseline test run changed tracked files ({string.Join(", ", changed.Take(10))}); they stay as they are and become part of the change. Make the tests leave tracked files alone, or ignore them in .gitignore."));
        }
    }
}

/// <summary>The baseline a run compares its tests with.</summary>
/// <param name="BaseCommit">The commit it ran on.</param>
/// <param name="Result">The run.</param>
/// <param name="Cached">Whether another run took it.</param>
internal sealed record TestBaselineRun(string BaseCommit, TestRunResult Result, bool Cached);
