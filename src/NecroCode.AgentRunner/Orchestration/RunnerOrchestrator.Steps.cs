using System.Globalization;
using System.Text;
using System.Text.Json;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Prompts;
using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

public sealed partial class RunnerOrchestrator
{
    private IReadOnlyList<PipelineStep> BuildPipeline() =>
    [
        new(Steps.Register, false, RegisterAsync),
        new(Steps.AcquireSlot, false, AcquireSlotAsync),
        new(Steps.PrepareWorkspace, false, PrepareWorkspaceAsync),
        new(Steps.Implement, false, ImplementAsync),
        new(Steps.Test, false, TestAsync),
        new(Steps.Commit, false, CommitAsync),
        new(Steps.Push, false, PushAsync),
        new(Steps.UploadArtifacts, true, UploadArtifactsAsync),
        new(Steps.Report, true, ReportAsync),
        new(Steps.ReleaseSlot, true, ReleaseSlotAsync),
    ];

    private async Task<StepOutcome> RegisterAsync(RunContext context, CancellationToken cancellationToken)
    {
        var registration = new RunnerRegistration(context.RunnerId, context.Key, Environment.MachineName, Environment.ProcessId, _time.GetUtcNow());
        await _registry.RegisterRunnerAsync(registration, cancellationToken).ConfigureAwait(false);
        context.Registered = true;
        var claim = await _registry.TryClaimTaskAsync(context.Key, context.RunnerId, cancellationToken).ConfigureAwait(false);
        if (!claim.Claimed)
        {
            throw new TaskConflictException($"Task {context.Key} is already being run by runner {claim.HeldBy}.", claim.HeldBy);
        }

        context.Claimed = true;
        if (context.Previous is { } previous)
        {
            context.Journal = previous with { Resumes = previous.Resumes + 1 };
            context.Events.Publish(new RunWarning(Steps.Register, $"Resuming the run of {context.Key} (resume {context.Journal.Resumes}).")); 
        }
        else
        {
            context.Journals.Delete(context.Key);
            context.Journal = new Journal.RunJournal { RunnerId = context.RunnerId, SpecName = context.Key.SpecName, TaskId = context.Key.TaskId, Branch = context.Branch, StartedAt = _time.GetUtcNow() };
        }

        await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
        await AppendTaskEventAsync(context, TaskEventTypes.TaskStarted, $"Runner {context.RunnerId} started the task.", new Dictionary<string, string> { ["branch"] = context.Branch }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> AcquireSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        if (!string.IsNullOrEmpty(task.SlotPath))
        {
            if (!Directory.Exists(task.SlotPath))
            {
                throw new SlotUnavailableException($"The assigned slot '{task.SlotPath}' does not exist.");
            }

            context.Lease = new SlotLease(task.SlotId ?? Path.GetFileName(task.SlotPath.TrimEnd('/')), task.SlotPath, "assigned");
            return StepOutcome.Succeeded;
        }

        context.Lease = await _slots.AcquireAsync(new SlotRequest(context.Key, context.RunnerId, task.SlotId ?? context.Previous?.SlotId), cancellationToken).ConfigureAwait(false);
        await SaveJournalAsync(context, j => j with { SlotId = context.Lease.SlotId }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> PrepareWorkspaceAsync(RunContext context, CancellationToken cancellationToken)
    {
        var lease = context.Lease!;
        var request = new WorkspaceRequest(lease.Path, context.Branch, context.Key, context.Events) { Secrets = context.Secrets };
        if (context.Journal is { CommitId: { } commit, BaseCommit: { } baseCommit })
        {
            try
            {
                var resumed = await _workspace.PrepareAsync(request with { ResumeCommit = commit }, cancellationToken).ConfigureAwait(false);
                context.Workspace = resumed with { BaseCommit = baseCommit };
                context.Diff = await _workspace.GetDiffAsync(resumed.Path, baseCommit, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Succeeded;
            }
            catch (WorkspaceException ex)
            {
                context.Events.Publish(new RunWarning(Steps.PrepareWorkspace, $"The slot no longer holds commit {commit}; the task is run again from the start: {ex.Message}"));
                await SaveJournalAsync(context, j => j with { CommitId = null, Tests = null, Push = null }, cancellationToken).ConfigureAwait(false);
            }
        }

        context.Workspace = await _workspace.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        await SaveJournalAsync(context, j => j with { BaseCommit = context.Workspace.BaseCommit }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> ImplementAsync(RunContext context, CancellationToken cancellationToken) =>
        context.Journal?.CommitId is not null ? StepOutcome.Skipped
        : await RunAgentAttemptAsync(context, 1, null, Steps.Implement, cancellationToken).ConfigureAwait(false)
            ? StepOutcome.Succeeded
            : context.FailureOutcome == RunOutcome.TimedOut ? StepOutcome.TimedOut : StepOutcome.Failed;

    /// <summary>Runs one agent attempt, then checks what it left in the workspace (R3.5).</summary>
    private async Task<bool> RunAgentAttemptAsync(RunContext context, int attempt, string? previousFailure, string stepName, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace!;
        var prompt = _prompts.Build(new PromptRequest(context.Task, workspace.Path, context.Task.TestCommands, attempt, previousFailure));
        var start = _time.GetTimestamp();
        AgentResult result;
        using (var agentTimeout = _options.AgentTimeout is { } limit ? new CancellationTokenSource(limit, _time) : new CancellationTokenSource())
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, agentTimeout.Token))
        {
            try
            {
                result = await _agent.ImplementAsync(
                    new AgentRequest { Task = context.Task, WorkspacePath = workspace.Path, Prompt = prompt, Attempt = attempt, Events = context.Events, StepName = stepName, Secrets = context.Secrets },
                    linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (agentTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                result = new AgentResult(false, null, $"The agent ran past its timeout of {_options.AgentTimeout:c}.", TimedOut: true);
            }
        }

        var duration = _time.GetElapsedTime(start);
        context.Implementations.Add(new ImplementationResult(result.Succeeded, result.ExitCode, duration, result.Error is null ? null : _masker.Apply(result.Error), attempt) { Usage = result.Usage });
        context.Diff = await _workspace.GetDiffAsync(workspace.Path, workspace.BaseCommit, cancellationToken).ConfigureAwait(false);

        if (!result.Succeeded)
        {
            var reason = result.Error ?? $"The agent '{_agent.Name}' failed with exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}.";
            Fail(context, result.TimedOut ? RunOutcome.TimedOut : RunOutcome.AgentFailed, stepName, reason);
            return false;
        }

        if (context.Diff.IsEmpty && _options.RequireChanges)
        {
            Fail(context, RunOutcome.AgentFailed, stepName, $"The agent '{_agent.Name}' finished without changing anything.");
            return false;
        }

        return PassesPolicy(context, stepName);
    }

    /// <summary>Checks <see cref="RunContext.Diff"/> against the change policy; a violation fails the run as refused.</summary>
    private bool PassesPolicy(RunContext context, string stepName)
    {
        var violations = _policy.Check(context.Workspace!.Path, context.Diff!);
        if (violations.Count > 0)
        {
            Fail(context, RunOutcome.Refused, stepName, $"The change was refused ({violations.Count} problem{(violations.Count == 1 ? "" : "s")}): {string.Join("; ", violations)}");
            return false;
        }

        return true;
    }

    private async Task<StepOutcome> TestAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Journal is { CommitId: not null, Tests: { } passed })
        {
            context.Tests = passed;
            return StepOutcome.Skipped;
        }

        var request = new TestRequest(context.Workspace!.Path, context.Task.TestCommands, context.Task.FailFast, context.Events, Steps.Test)
        {
            Environment = _credentials.HiddenEnvironment(context.Secrets),
        };
        for (var fixes = 0; ; fixes++)
        {
            context.Tests = MaskTestRun(await _tests.RunAsync(request, cancellationToken).ConfigureAwait(false));
            if (context.Tests.Outcome == TestOutcome.Passed)
            {
                context.PassedOnAttempt = fixes + 1;
                await SaveJournalAsync(context, j => j with { Tests = context.Tests }, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Succeeded;
            }

            if (fixes >= _options.MaxFixAttempts)
            {
                break;
            }

            var attempt = fixes + 2;
            context.FailedAttempts.Add(new AttemptRecord(attempt - 1, context.Diff, context.Tests));
            context.Events.Publish(new RunWarning(Steps.Test, $"The tests failed; asking the agent for a fix (attempt {attempt} of {_options.MaxFixAttempts + 1})."));
            var failure = FailureOutputTrimmer.Trim(context.Tests, _options.FixOutputLimit);
            var fixStep = $"fix-{attempt}";
            context.Events.Publish(new StepStarted(fixStep));
            var fixStart = _time.GetTimestamp();
            var agentDone = await RunAgentAttemptAsync(context, attempt, failure, fixStep, cancellationToken).ConfigureAwait(false);
            var fixOutcome = agentDone ? StepOutcome.Succeeded : StepOutcome.Failed;
            var fixElapsed = _time.GetElapsedTime(fixStart);
            context.Steps.Add(new StepResult(fixStep, fixOutcome, fixElapsed, agentDone ? null : context.Error?.Message));
            context.Events.Publish(new StepFinished(fixStep, fixOutcome, fixElapsed, agentDone ? null : context.Error?.Message));
            if (!agentDone)
            {
                return StepOutcome.Failed;
            }
        }

        var failing = context.Tests.Commands.FirstOrDefault(c => c.Outcome is not (TestOutcome.Passed or TestOutcome.Skipped));
        var detail = failing is null
            ? "no test command ran"
            : $"'{failing.Command}' {failing.Outcome.ToString().ToLowerInvariant()} (exit code {failing.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"})";
        var attempts = _options.MaxFixAttempts > 0 ? $" after {_options.MaxFixAttempts + 1} attempts" : "";
        Fail(context, RunOutcome.TestsFailed, Steps.Test, $"The tests did not pass{attempts}: {detail}.");
        return StepOutcome.Failed;
    }

    /// <summary>Masks the command lines and output of a test run before it reaches the journal, artifacts and result.</summary>
    private TestRunResult MaskTestRun(TestRunResult tests) => tests with
    {
        Commands = [.. tests.Commands.Select(c => c with { Command = _masker.Apply(c.Command), StandardOutput = _masker.Apply(c.StandardOutput), StandardError = _masker.Apply(c.StandardError) })],
    };

    private async Task<StepOutcome> CommitAsync(RunContext context, CancellationToken cancellationToken)
    {
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
        await SaveJournalAsync(context, j => j with { CommitId = context.CommitId }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> PushAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Journal?.Push is { Succeeded: true } pushed && pushed.CommitId == context.CommitId)
        {
            context.Push = pushed;
            return StepOutcome.Skipped;
        }

        var branchLock = await _branchLock.AcquireBranchAsync(context.Branch, context.RunnerId, _options.BranchLockWait, cancellationToken).ConfigureAwait(false);
        await using (branchLock.ConfigureAwait(false))
        {
            context.Push = await _workspace.PushAsync(new PushRequest(context.Workspace!.Path, context.Branch, context.Events) { Secrets = context.Secrets }, cancellationToken).ConfigureAwait(false);
        }

        if (context.Push.Succeeded)
        {
            await SaveJournalAsync(context, j => j with { Push = context.Push }, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Succeeded;
        }

        Fail(context, RunOutcome.PushFailed, Steps.Push, $"Pushing {context.Branch} failed after {context.Push.Attempts} attempt(s): {context.Push.Error}");
        return StepOutcome.Failed;
    }

    private async Task<StepOutcome> UploadArtifactsAsync(RunContext context, CancellationToken cancellationToken)
    {
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

        if (context.Error is { } error)
        {
            var text = $"task: {context.Key}{Environment.NewLine}runner: {context.RunnerId}{Environment.NewLine}outcome: {context.FailureOutcome}{Environment.NewLine}step: {error.Step}{Environment.NewLine}exception: {error.ExceptionType ?? "none"}{Environment.NewLine}{Environment.NewLine}{error.Message}{Environment.NewLine}";
            await StoreArtifactAsync(context, ArtifactKind.ErrorLog, ErrorLogName, Encoding.UTF8.GetBytes(_masker.Apply(text)), cancellationToken).ConfigureAwait(false);
        }

        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> ReportAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            return StepOutcome.Skipped;
        }

        var done = !context.Failed;
        await _registry.SetTaskStateAsync(context.Key, done ? TaskState.Done : TaskState.Failed, context.RunnerId, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, string>
        {
            ["outcome"] = (context.FailureOutcome ?? RunOutcome.Succeeded).ToString(),
            ["branch"] = context.Branch,
        };
        if (context.CommitId is not null)
        {
            data["commit"] = context.CommitId;
        }

        foreach (var artifact in context.Artifacts.Where(a => a.Uri is not null))
        {
            data["artifact:" + artifact.Name] = artifact.Uri!.ToString();
        }

        var message = done ? $"Pushed {context.Branch} at {context.CommitId}." : context.Error?.Message;
        var type = done ? TaskEventTypes.TaskCompleted : TaskEventTypes.TaskFailed;
        if (await AlreadyReportedAsync(context, type, cancellationToken).ConfigureAwait(false))
        {
            context.Reported = true;
            return StepOutcome.Skipped;
        }

        await AppendTaskEventAsync(context, type, message, data, cancellationToken).ConfigureAwait(false);
        await SaveJournalAsync(context, j => j with { ReportedEvent = type }, cancellationToken).ConfigureAwait(false);
        context.Reported = true;
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> ReleaseSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        var outcome = StepOutcome.Succeeded;
        if (context.Lease is { } lease)
        {
            if (context.Failed && context.Workspace is not null)
            {
                try
                {
                    await _workspace.RollbackAsync(lease.Path, cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed rollback must not keep the slot; the next run recovers it.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Rolling back slot {lease.SlotId} failed; the next run will recover it: {ex.Message}"));
                }
            }

            if (!context.Released)
            {
                await _slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
                context.Released = true;
            }
        }
        else
        {
            outcome = StepOutcome.Skipped;
        }

        if (context.Registered && !context.Unregistered)
        {
            await _registry.UnregisterRunnerAsync(context.RunnerId, cancellationToken).ConfigureAwait(false);
            context.Unregistered = true;
        }

        return outcome;
    }

    /// <summary>Whether a resumed run already recorded its completion event (journal, or the registry itself after a crash between the two).</summary>
    private async Task<bool> AlreadyReportedAsync(RunContext context, string type, CancellationToken cancellationToken)
    {
        if (context.Previous is null)
        {
            return false;
        }

        if (context.Journal?.ReportedEvent == type)
        {
            return true;
        }

        var events = await _registry.GetEventsAsync(context.Key, cancellationToken).ConfigureAwait(false);
        return events.Any(e => e.Type == type && e.RunnerId == context.RunnerId);
    }

    private static async Task SaveJournalAsync(RunContext context, Func<Journal.RunJournal, Journal.RunJournal> update, CancellationToken cancellationToken)
    {
        if (context.Journal is null)
        {
            return;
        }

        context.Journal = update(context.Journal);
        await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
    }

    private Task AppendTaskEventAsync(RunContext context, string type, string? message, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var masked = data.ToDictionary(p => p.Key, p => _masker.Apply(p.Value), StringComparer.Ordinal);
        var taskEvent = new TaskEvent(context.Key, type, _time.GetUtcNow(), context.RunnerId, message is null ? null : _masker.Apply(message), masked);
        return _registry.AppendEventAsync(taskEvent, cancellationToken);
    }
}
