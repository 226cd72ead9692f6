using System.Globalization;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

// The implement and test steps: agent attempts, the checks after each, the fix loop.
public sealed partial class RunnerOrchestrator
{
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

    /// <summary>The test runner's message when the task gives no test command and none was detected; null otherwise.</summary>
    private static string? NoTestCommand(RunContext context) =>
        context.Task.TestCommands.All(string.IsNullOrWhiteSpace)
        && context.Tests is { Outcome: TestOutcome.Error, Commands: [{ Command: var command, Outcome: TestOutcome.Error } only] }
        && string.IsNullOrWhiteSpace(command)
            ? (string.IsNullOrWhiteSpace(only.StandardError) ? "No test command was given and none was detected" : only.StandardError.Trim())
            : null;
}
