using System.Text;
using System.Text.Json;
using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

// The commit, push and upload-artifacts steps: only a passing test run of this run is committed and pushed.
public sealed partial class RunnerOrchestrator
{
    private async Task<StepOutcome> CommitAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.TestsPassed)
        {
            return RefuseUntested(context, Steps.Commit);
        }

        if (context.Journal?.CommitId is { } committed)
        {
            context.CommitId = committed;
            return StepOutcome.Skipped;
        }

        // Test commands and command steps ran code from the change after it was checked and may have written
        // anything into the workspace: the tree that is about to be committed is checked again.
        context.Diff = await _workspace.GetDiffAsync(context.Workspace!.Path, context.Workspace.BaseCommit, cancellationToken).ConfigureAwait(false);
        if (!PassesPolicy(context, Steps.Commit))
        {
            return StepOutcome.Failed;
        }

        var message = _options.CommitMessageTemplate
            .Replace("{id}", context.Task.TaskId, StringComparison.Ordinal)
            .Replace("{spec}", context.Task.SpecName, StringComparison.Ordinal)
            .Replace("{title}", context.Task.Title.Trim(), StringComparison.Ordinal);
        context.CommitId = await _workspace.CommitAsync(new CommitRequest(context.Workspace!.Path, _masker.Apply(message)) { BaseCommit = context.Workspace.BaseCommit }, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(Steps.Commit));
        await SaveJournalAsync(context, j => j with { CommitId = context.CommitId }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> PushAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.TestsPassed)
        {
            return RefuseUntested(context, Steps.Push);
        }

        if (context.CommitId is null)
        {
            return MissingPrerequisite(context, Steps.Push, Steps.Commit);
        }

        if (context.Journal?.Push is { Succeeded: true } pushed && pushed.CommitId == context.CommitId)
        {
            context.Push = pushed;
            return StepOutcome.Skipped;
        }

        var branchLock = await _branchLock.AcquireBranchAsync(context.Branch, context.RunnerId, _options.BranchLockWait, cancellationToken).ConfigureAwait(false);
        await using (branchLock.ConfigureAwait(false))
        {
            // A branch belongs to the first task that pushes it: another task's push never replaces it.
            var claim = await _registry.TryClaimBranchAsync(context.Branch, context.Key, context.RunnerId, cancellationToken).ConfigureAwait(false);
            if (!claim.IsOwnedBy(context.Key))
            {
                Fail(context, RunOutcome.Conflict, Steps.Push, BranchTakenMessage(context.Key, claim));
                return StepOutcome.Failed;
            }

            context.Push = await _workspace.PushAsync(new PushRequest(context.Workspace!.Path, context.Branch, context.Events) { Secrets = context.Secrets, ExpectedCommit = context.CommitId }, cancellationToken).ConfigureAwait(false);
        }

        if (context.Push.Succeeded)
        {
            FailPoint.Reach(FailPoint.AfterEffect(Steps.Push));
            await SaveJournalAsync(context, j => j with { Push = context.Push }, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Succeeded;
        }

        Fail(context, RunOutcome.PushFailed, Steps.Push, $"Pushing {context.Branch} failed after {context.Push.Attempts} attempt(s): {context.Push.Error}");
        return StepOutcome.Failed;
    }

    private async Task<StepOutcome> UploadArtifactsAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            // The task is another runner's (or was never reached): nothing of this run is stored under it.
            return StepOutcome.Skipped;
        }

        if (context.Diff is not null)
        {
            await StoreArtifactAsync(context, ArtifactKind.Diff, DiffName, Encoding.UTF8.GetBytes(Security.PatchMasking.Mask(context.Diff.Patch, _masker)), cancellationToken).ConfigureAwait(false);
        }

        if (context.Tests is not null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(context.Tests, AgentRunnerJson.Options.GetTypeInfo(typeof(TestRunResult)));
            await StoreArtifactAsync(context, ArtifactKind.TestResults, TestResultsName, json, cancellationToken).ConfigureAwait(false);
        }

        foreach (var attempt in context.FailedAttempts)
        {
            if (attempt.Diff is not null)
            {
                await StoreArtifactAsync(context, ArtifactKind.Diff, $"diff.attempt-{attempt.Number}.patch", Encoding.UTF8.GetBytes(Security.PatchMasking.Mask(attempt.Diff.Patch, _masker)), cancellationToken).ConfigureAwait(false);
            }

            var attemptJson = JsonSerializer.SerializeToUtf8Bytes(attempt.Tests, AgentRunnerJson.Options.GetTypeInfo(typeof(TestRunResult)));
            await StoreArtifactAsync(context, ArtifactKind.TestResults, $"test-results.attempt-{attempt.Number}.json", attemptJson, cancellationToken).ConfigureAwait(false);
        }

        // With a fix loop, each attempt's agent output gets its own artifact next to that attempt's diff and test results.
        if (context.AgentOutputs.Count > 1)
        {
            foreach (var (attempt, output) in context.AgentOutputs)
            {
                await StoreArtifactAsync(context, ArtifactKind.RunLog, $"agent-output.attempt-{attempt}.log", Encoding.UTF8.GetBytes(output), cancellationToken).ConfigureAwait(false);
            }
        }

        if (context.Error is { } error)
        {
            var text = $"task: {context.Key}{Environment.NewLine}runner: {context.RunnerId}{Environment.NewLine}outcome: {context.FailureOutcome}{Environment.NewLine}step: {error.Step}{Environment.NewLine}exception: {error.ExceptionType ?? "none"}{Environment.NewLine}{Environment.NewLine}{error.Message}{Environment.NewLine}";
            await StoreArtifactAsync(context, ArtifactKind.ErrorLog, ErrorLogName, Encoding.UTF8.GetBytes(_masker.Apply(text)), cancellationToken).ConfigureAwait(false);
        }

        return StepOutcome.Succeeded;
    }

    /// <summary>Commit and push only follow a passing test run of this run (R4.5), whatever the playbook says.</summary>
    private StepOutcome RefuseUntested(RunContext context, string step)
    {
        var why = context.Tests is null ? "the test step has not run" : $"the tests did not pass ({context.Tests.Outcome.ToString().ToLowerInvariant()})";
        var message = $"Step {step} refused: {why}; a change is committed and pushed only after this run's test step passed.";
        if (context.Failed)
        {
            context.Events.Publish(new RunWarning(step, message));
        }

        Fail(context, context.Tests is null ? RunOutcome.Refused : RunOutcome.TestsFailed, step, message, always: true);
        return StepOutcome.Failed;
    }
}
