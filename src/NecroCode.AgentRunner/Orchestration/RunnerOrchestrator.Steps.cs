using System.Globalization;
using System.Text;
using System.Text.Json;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

public sealed partial class RunnerOrchestrator
{
    /// <summary>The lease id of a slot assigned by the task (a slot path) rather than leased from the pool.</summary>
    private const string AssignedLeaseId = "assigned";

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
        if (context.Previous is not null)
        {
            await EnsurePreviousRunnerGoneAsync(context, cancellationToken).ConfigureAwait(false);
        }
        else if (!_options.RerunDoneTasks && await _registry.GetTaskAsync(context.Key, cancellationToken).ConfigureAwait(false) is { State: TaskState.Done } done)
        {
            throw new TaskConflictException(
                $"Task {context.Key} is already Done (by runner {done.RunnerId}, {done.UpdatedAt:O}); nothing was run. To run it again on purpose, pass --rerun (setting NecroCode:Runner:RerunDoneTasks=true).",
                done.RunnerId);
        }

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
            // The killed run's agent and test processes run in sessions of their own and outlived it: stop them
            // before anything touches the workspace.
            await StopLeftoverProcessesAsync(context, previous.TraceId ?? context.TraceId, cancellationToken).ConfigureAwait(false);
            context.Journal = previous with { Resumes = previous.Resumes + 1, TraceId = context.TraceId };
            context.Events.Publish(new RunWarning(Steps.Register, $"Resuming the run of {context.Key} (resume {context.Journal.Resumes})."));
        }
        else
        {
            // A journal left by a dead runner whose task this run took over: its processes may still run.
            if (await context.Journals.ReadAsync(context.Key, cancellationToken).ConfigureAwait(false) is { TraceId: { } abandoned })
            {
                await StopLeftoverProcessesAsync(context, abandoned, cancellationToken).ConfigureAwait(false);
            }

            context.Journals.Delete(context.Key);
            context.Journal = new Journal.RunJournal { RunnerId = context.RunnerId, SpecName = context.Key.SpecName, TaskId = context.Key.TaskId, Branch = context.Branch, StartedAt = _time.GetUtcNow(), TraceId = context.TraceId };
        }

        await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
        await AppendTaskEventAsync(context, TaskEventTypes.TaskStarted, $"Runner {context.RunnerId} started the task.", new Dictionary<string, string> { ["branch"] = context.Branch }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    /// <summary>
    /// A resumed run reuses the killed run's runner id, so the registry's claim cannot tell the two apart: refuse
    /// while the process that registered that id may still run (this host: it runs; another host: unknown).
    /// </summary>
    private async Task EnsurePreviousRunnerGoneAsync(RunContext context, CancellationToken cancellationToken)
    {
        var runners = await _registry.GetRunnersAsync(cancellationToken).ConfigureAwait(false);
        if (runners.FirstOrDefault(r => r.RunnerId == context.RunnerId) is not { } earlier || earlier.ProcessId == Environment.ProcessId)
        {
            return;
        }

        if (!string.Equals(earlier.Host, Environment.MachineName, StringComparison.Ordinal))
        {
            throw new TaskConflictException($"Task {context.Key} cannot be resumed here: its runner {context.RunnerId} runs on host {earlier.Host} (pid {earlier.ProcessId}). Resume it there.", context.RunnerId);
        }

        if (FileSystem.ProcessIdentity.StartedAtUtc(earlier.ProcessId) is { } started && started <= earlier.StartedAt + TimeSpan.FromMinutes(1))
        {
            throw new TaskConflictException($"Task {context.Key} cannot be resumed: its runner {context.RunnerId} still runs (pid {earlier.ProcessId}).", context.RunnerId);
        }
    }

    private async Task StopLeftoverProcessesAsync(RunContext context, string traceId, CancellationToken cancellationToken)
    {
        var stopped = await RunTrace.StopAsync(traceId, RunTrace.StopGrace, _time, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            context.Events.Publish(new RunWarning(Steps.Register, $"Stopped {stopped.Count} process(es) the earlier run of {context.Key} left running (pids {string.Join(", ", stopped)})."));
        }
    }

    private async Task<StepOutcome> AcquireSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            return MissingPrerequisite(context, Steps.AcquireSlot, Steps.Register);
        }

        var task = context.Task;
        if (!string.IsNullOrEmpty(task.SlotPath))
        {
            if (!Directory.Exists(task.SlotPath))
            {
                throw new SlotUnavailableException($"The assigned slot '{task.SlotPath}' does not exist.");
            }

            context.Lease = new SlotLease(task.SlotId ?? Path.GetFileName(task.SlotPath.TrimEnd('/')), task.SlotPath, AssignedLeaseId);
            return StepOutcome.Succeeded;
        }

        context.Lease = await _slots.AcquireAsync(new SlotRequest(context.Key, context.RunnerId, task.SlotId ?? context.Previous?.SlotId), cancellationToken).ConfigureAwait(false);
        await SaveJournalAsync(context, j => j with { SlotId = context.Lease.SlotId }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> PrepareWorkspaceAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Lease is not { } lease)
        {
            return MissingPrerequisite(context, Steps.PrepareWorkspace, Steps.AcquireSlot);
        }

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

        try
        {
            context.Workspace = await _workspace.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex) when (!ex.IsTransient)
        {
            // Not a passing condition (network, a live git process): the slot itself may be broken.
            context.SlotSuspect = ex.Message;
            throw;
        }

        await SaveJournalAsync(context, j => j with { BaseCommit = context.Workspace.BaseCommit }, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> ImplementAsync(RunContext context, CancellationToken cancellationToken) =>
        context.Workspace is null ? MissingPrerequisite(context, Steps.Implement, Steps.PrepareWorkspace)
        : context.Journal?.CommitId is not null ? StepOutcome.Skipped
        : await RunAgentAttemptAsync(context, 1, null, Steps.Implement, cancellationToken).ConfigureAwait(false)
            ? StepOutcome.Succeeded
            : context.FailureOutcome == RunOutcome.TimedOut ? StepOutcome.TimedOut : StepOutcome.Failed;

    /// <summary>Runs one agent attempt, then checks what it left in the workspace (R3.5).</summary>
    private async Task<bool> RunAgentAttemptAsync(RunContext context, int attempt, string? previousFailure, string stepName, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace!;
        var task = await WithKnownDependencyResultsAsync(context.Task, cancellationToken).ConfigureAwait(false);
        var prompt = _prompts.Build(new PromptRequest(task, workspace.Path, context.Task.TestCommands, attempt, previousFailure));
        var output = new AttemptOutputSink(context.Events);
        var pushesBefore = AgentPushDetector.Snapshot(workspace.Path);
        var start = _time.GetTimestamp();
        AgentResult result;
        using (var agentTimeout = _options.AgentTimeout is { } limit ? new CancellationTokenSource(limit, _time) : new CancellationTokenSource())
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, agentTimeout.Token))
        {
            try
            {
                result = await _agent.ImplementAsync(
                    new AgentRequest { Task = context.Task, WorkspacePath = workspace.Path, Prompt = prompt, Attempt = attempt, Events = output, StepName = stepName, Secrets = context.Secrets },
                    linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (agentTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                result = new AgentResult(false, null, $"The agent ran past its timeout of {_options.AgentTimeout:c}.", TimedOut: true);
            }
        }

        var duration = _time.GetElapsedTime(start);
        context.AgentOutputs[attempt] = _masker.Apply(output.Text);
        context.Implementations.Add(new ImplementationResult(result.Succeeded, result.ExitCode, duration, result.Error is null ? null : _masker.Apply(result.Error), attempt) { Usage = result.Usage });
        context.Diff = await _workspace.GetDiffAsync(workspace.Path, workspace.BaseCommit, cancellationToken).ConfigureAwait(false);

        var pushed = AgentPushDetector.Pushed(pushesBefore, AgentPushDetector.Snapshot(workspace.Path));
        if (pushed.Count > 0)
        {
            Fail(context, RunOutcome.Refused, stepName, $"The agent '{_agent.Name}' pushed by itself ({string.Join(", ", pushed)} updated by push); only the runner pushes, once the tests pass.");
            return false;
        }

        if (!result.Succeeded)
        {
            var reason = result.Error ?? $"The agent '{_agent.Name}' failed with exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}.";
            Fail(context, result.TimedOut ? RunOutcome.TimedOut : result.LimitExceeded ? RunOutcome.ResourceLimitExceeded : RunOutcome.AgentFailed, stepName, reason);
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

    /// <summary>
    /// The task with each dependency's branch and commit filled in from the registry's record of that task's
    /// completion, where the task itself does not give them.
    /// </summary>
    private async Task<TaskContext> WithKnownDependencyResultsAsync(TaskContext task, CancellationToken cancellationToken)
    {
        if (task.Dependencies.All(d => d.Branch is not null && d.CommitId is not null))
        {
            return task;
        }

        var dependencies = new List<TaskDependency>(task.Dependencies.Count);
        foreach (var dependency in task.Dependencies)
        {
            var known = dependency;
            if (dependency.Branch is null || dependency.CommitId is null)
            {
                IReadOnlyList<TaskEvent> events;
                try
                {
                    events = await _registry.GetEventsAsync(new TaskKey(task.SpecName, dependency.TaskId), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ArgumentException or AgentRunnerException or IOException)
                {
                    // What a dependency produced is a hint for the prompt; not finding it must not fail the run.
                    events = [];
                }

                if (events.LastOrDefault(e => e.Type == TaskEventTypes.TaskCompleted)?.Data is { } data)
                {
                    known = dependency with
                    {
                        Branch = dependency.Branch ?? data.GetValueOrDefault("branch"),
                        CommitId = dependency.CommitId ?? data.GetValueOrDefault("commit"),
                    };
                }
            }

            dependencies.Add(known);
        }

        return task with { Dependencies = dependencies };
    }

    private async Task<StepOutcome> TestAsync(RunContext context, CancellationToken cancellationToken)
    {
        context.TestsPassed = false;
        if (context.Workspace is null)
        {
            return MissingPrerequisite(context, Steps.Test, Steps.PrepareWorkspace);
        }

        if (context.Journal is { CommitId: not null, Tests: { } passed })
        {
            context.Tests = passed;
            context.TestsPassed = true;
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
                context.TestsPassed = true;
                context.PassedOnAttempt = fixes + 1;
                await SaveJournalAsync(context, j => j with { Tests = context.Tests }, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Succeeded;
            }

            if (NoTestCommand(context) is { } detector)
            {
                // Nothing to fix: the agent cannot make a test command appear where none is configured.
                Fail(context, RunOutcome.TestsFailed, Steps.Test, $"{detector.TrimEnd('.')}. Set the task's testCommands to the command(s) that run its tests.");
                return StepOutcome.Failed;
            }

            // A broken resource limit is not a failing test: no fix is asked for.
            if (context.Tests.Commands.FirstOrDefault(c => c.Outcome == TestOutcome.LimitExceeded) is { } breach)
            {
                Fail(context, RunOutcome.ResourceLimitExceeded, Steps.Test, $"The tests were stopped: '{breach.Command}' broke a resource limit: {breach.StopMessage ?? "limit exceeded."}");
                return StepOutcome.Failed;
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
            bool agentDone;
            var fixUsage = Processes.ProcessUsageScope.Begin();
            try
            {
                agentDone = await RunAgentAttemptAsync(context, attempt, failure, fixStep, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                fixUsage.Dispose();
            }

            var fixOutcome = agentDone ? StepOutcome.Succeeded : StepOutcome.Failed;
            var fixElapsed = _time.GetElapsedTime(fixStart);
            context.Steps.Add(new StepResult(fixStep, fixOutcome, fixElapsed, agentDone ? null : context.Error?.Message) { PeakMemoryBytes = fixUsage.PeakMemoryBytes, CpuTime = fixUsage.CpuTime });
            context.Events.Publish(new StepFinished(fixStep, fixOutcome, fixElapsed, agentDone ? null : context.Error?.Message));
            if (!agentDone)
            {
                return StepOutcome.Failed;
            }
        }

        var failing = context.Tests.Commands.FirstOrDefault(c => c.Outcome is not (TestOutcome.Passed or TestOutcome.Skipped));
        var detail = failing is null
            ? "no test command ran"
            : failing.ExitCode is null && failing.StopMessage is { } stopped
                ? $"'{failing.Command}' {failing.Outcome.ToString().ToLowerInvariant()} ({stopped.TrimEnd('.')})"
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
        FailPoint.Reach(FailPoint.AfterEffect(Steps.Report));
        await SaveJournalAsync(context, j => j with { ReportedEvent = type }, cancellationToken).ConfigureAwait(false);
        context.Reported = true;
        return StepOutcome.Succeeded;
    }

    private async Task<StepOutcome> ReleaseSlotAsync(RunContext context, CancellationToken cancellationToken)
    {
        var outcome = StepOutcome.Succeeded;
        if (context.Lease is { } lease)
        {
            if (!context.Released)
            {
                var broken = await RollBackIfNeededAsync(context, lease, cancellationToken).ConfigureAwait(false);
                if (broken is null)
                {
                    await _slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
                }
                else if (lease.LeaseId == AssignedLeaseId)
                {
                    // The task assigned the slot; the pool that owns it decides what happens to it.
                    context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"The assigned slot {lease.SlotId} cannot be brought back clean: {_masker.Apply(broken)}"));
                }
                else
                {
                    await QuarantineAsync(context, lease, broken, cancellationToken).ConfigureAwait(false);
                }

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

    /// <summary>The test runner's message when the task gives no test command and none was detected; null otherwise.</summary>
    private static string? NoTestCommand(RunContext context) =>
        context.Task.TestCommands.All(string.IsNullOrWhiteSpace)
        && context.Tests is { Outcome: TestOutcome.Error, Commands: [{ Command: var command, Outcome: TestOutcome.Error } only] }
        && string.IsNullOrWhiteSpace(command)
            ? (string.IsNullOrWhiteSpace(only.StandardError) ? "No test command was given and none was detected" : only.StandardError.Trim())
            : null;

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

    /// <summary>A built-in step whose prerequisite did not run (e.g. it was skipped by its condition) fails with a clear reason.</summary>
    private StepOutcome MissingPrerequisite(RunContext context, string step, string prerequisite)
    {
        Fail(context, RunOutcome.StepFailed, step, $"Step {step} needs step {prerequisite} to have run first in this run, and it has not.");
        return StepOutcome.Failed;
    }

    /// <summary>
    /// Rolls a failed run's slot back to a clean state (R8.1). Returns why the slot cannot be brought back
    /// clean (the rollback failed), or null when it is clean or needed no rollback.
    /// </summary>
    private async Task<string?> RollBackIfNeededAsync(RunContext context, SlotLease lease, CancellationToken cancellationToken)
    {
        if (!context.Failed || (context.Workspace is null && context.SlotSuspect is null))
        {
            return null;
        }

        try
        {
            await _workspace.RollbackAsync(lease.Path, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time, not broken: the next run's preparation recovers the slot.
            context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Rolling back slot {lease.SlotId} ran out of time; the next run recovers it."));
            return null;
        }
#pragma warning disable CA1031 // Whatever makes the rollback fail, the slot must not go back into rotation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = $"rolling back after a failed run failed: {ex.Message}";
            return context.SlotSuspect is { } suspect ? $"{reason} (preparing it had failed: {suspect})" : reason;
        }
    }

    /// <summary>Takes the slot out of rotation, with its reason, and says so in the events and the result.</summary>
    private async Task QuarantineAsync(RunContext context, SlotLease lease, string reason, CancellationToken cancellationToken)
    {
        var masked = _masker.Apply(reason);
        try
        {
            await _slots.QuarantineAsync(lease, masked, cancellationToken).ConfigureAwait(false);
        }
        catch (SlotUnavailableException ex)
        {
            // Could not move it: release it so the pool is not blocked; the next run's preparation tries again.
            context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Slot {lease.SlotId} cannot be brought back clean ({masked}) and could not be quarantined ({ex.Message}); it is released."));
            await _slots.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
            return;
        }

        context.SlotQuarantined = masked;
        Log.SlotQuarantined(_logger, lease.SlotId, context.Key.ToString(), masked);
        context.Events.Publish(new RunWarning(Steps.ReleaseSlot, $"Slot {lease.SlotId} was quarantined (taken out of the pool) instead of released: {masked}"));
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
