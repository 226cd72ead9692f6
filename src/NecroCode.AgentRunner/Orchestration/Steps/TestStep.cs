using System.Globalization;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Prompts;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Runs the task's test commands; while they fail and fix attempts are left, asks the agent for a fix (each attempt
/// a step of its own, <c>fix-N</c>, through the <see cref="StepRunner"/>) and runs them again.
/// </summary>
/// <remarks>
/// With a baseline (<see cref="RunContext.Baseline"/>) the tests pass when nothing that fails the run was found by the
/// comparison (by default: no regression and no new failure), and the fix prompt names only those.
/// </remarks>
internal sealed class TestStep(
    TestJudge judge, AgentAttempt attempts, StepRunner steps, RunCredentialsFactory credentials, IOptions<AgentRunnerOptions> options) : IRunStep
{
    /// <inheritdoc />
    public string Name => PlaybookBuiltInSteps.Test;

    /// <inheritdoc />
    /// <remarks>Whatever it decides, the run's tests have not passed until this step says so.</remarks>
    public StepVerdict? Check(RunContext context)
    {
        context.TestsPassed = false;
        return context.Workspace is null ? StepVerdict.MissingPrerequisite(Name, PlaybookBuiltInSteps.PrepareWorkspace) : null;
    }

    /// <inheritdoc />
    /// <remarks>A resumed run whose journal holds its commit and the passing tests before it passed already.</remarks>
    public StepVerdict? Resume(RunContext context)
    {
        if (context.Journal is not { CommitId: not null, Tests: { } passed })
        {
            return null;
        }

        context.Tests = passed;
        context.TestsPassed = true;
        return StepVerdict.Skipped;
    }

    /// <inheritdoc />
    public async Task<StepVerdict> RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var maxFixes = options.Value.MaxFixAttempts;
        var request = new TestRequest(context.Workspace!.Path, context.Task.TestCommands, context.Task.FailFast, context.Events, Name)
        {
            Environment = credentials.HiddenEnvironment(context.Secrets),
        };
        for (var fixes = 0; ; fixes++)
        {
            context.Tests = await judge.RunAsync(context, request, cancellationToken).ConfigureAwait(false);
            if (context.Tests.Comparison?.Accepted ?? context.Tests.Outcome == TestOutcome.Passed)
            {
                context.TestsPassed = true;
                context.PassedOnAttempt = fixes + 1;
                await context.SaveJournalAsync(j => j with { Tests = context.Tests }, cancellationToken).ConfigureAwait(false);
                return StepVerdict.Succeeded;
            }

            if (NoTestCommand(context) is { } detector)
            {
                // Nothing to fix: the agent cannot make a test command appear where none is configured.
                return StepVerdict.Fail(RunOutcome.TestsFailed, Name, $"{detector.TrimEnd('.')}. Set the task's testCommands to the command(s) that run its tests.");
            }

            // A broken resource limit is not a failing test: no fix is asked for.
            if (context.Tests.Commands.FirstOrDefault(c => c.Outcome == TestOutcome.LimitExceeded) is { } breach)
            {
                return StepVerdict.Fail(RunOutcome.ResourceLimitExceeded, Name, $"The tests were stopped: '{breach.Command}' broke a resource limit: {breach.StopMessage ?? "limit exceeded."}");
            }

            if (fixes >= maxFixes)
            {
                return TestsFailed(context, maxFixes);
            }

            var fix = await FixAsync(context, fixes + 2, maxFixes, cancellationToken).ConfigureAwait(false);
            if (fix != StepOutcome.Succeeded)
            {
                // The fix step recorded why; a stopped fix stops this step the same way.
                return new StepVerdict(fix is StepOutcome.TimedOut or StepOutcome.Cancelled ? fix : StepOutcome.Failed);
            }
        }
    }

    /// <summary>Runs fix attempt <paramref name="attempt"/> as a step of its own inside this one.</summary>
    private async Task<StepOutcome> FixAsync(RunContext context, int attempt, int maxFixes, CancellationToken cancellationToken)
    {
        context.FailedAttempts.Add(new AttemptRecord(attempt - 1, context.Diff, context.Tests!));
        context.Events.Publish(new RunWarning(Name, $"The tests failed; asking the agent for a fix (attempt {attempt} of {maxFixes + 1})."));
        var failure = context.Tests!.Comparison is null
            ? FailureOutputTrimmer.Trim(context.Tests, options.Value.FixOutputLimit)
            : BlockingTestsText.Build(context.Tests, options.Value.FixOutputLimit);
        var fixStep = $"fix-{attempt}";
        using var budget = context.StepBudget?.Nested(Name) ?? context.Budget!.Inside(cancellationToken);
        return await steps.RunAsync(context, fixStep, budget, async (ctx, token) =>
        {
            var verdict = await attempts.RunAsync(ctx, attempt, failure, fixStep, token).ConfigureAwait(false);
            return verdict with { Outcome = verdict.Outcome == StepOutcome.Succeeded ? StepOutcome.Succeeded : StepOutcome.Failed };
        }).ConfigureAwait(false);
    }

    private static StepVerdict TestsFailed(RunContext context, int maxFixes)
    {
        var attempts = maxFixes > 0 ? $" after {maxFixes + 1} attempts" : "";
        if (context.Tests!.Comparison is { } comparison)
        {
            return StepVerdict.Fail(RunOutcome.TestsFailed, PlaybookBuiltInSteps.Test, $"The tests did not pass{attempts}. {TestJudge.Summary(comparison)}");
        }

        var failing = context.Tests!.Commands.FirstOrDefault(c => c.Outcome is not (TestOutcome.Passed or TestOutcome.Skipped));
        var detail = failing is null
            ? "no test command ran"
            : failing.ExitCode is null && failing.StopMessage is { } stopped
                ? $"'{failing.Command}' {failing.Outcome.ToString().ToLowerInvariant()} ({stopped.TrimEnd('.')})"
                : $"'{failing.Command}' {failing.Outcome.ToString().ToLowerInvariant()} (exit code {failing.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"})";
        return StepVerdict.Fail(RunOutcome.TestsFailed, PlaybookBuiltInSteps.Test, $"The tests did not pass{attempts}: {detail}.");
    }

    /// <summary>The test runner's message when the task gives no test command and none was detected; null otherwise.</summary>
    private static string? NoTestCommand(RunContext context) =>
        context.Task.TestCommands.All(string.IsNullOrWhiteSpace)
        && context.Tests is { Outcome: TestOutcome.Error, Commands: [{ Command: var command, Outcome: TestOutcome.Error } only] }
        && string.IsNullOrWhiteSpace(command)
            ? (string.IsNullOrWhiteSpace(only.StandardError) ? "No test command was given and none was detected" : only.StandardError.Trim())
            : null;
}
