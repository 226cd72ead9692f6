using System.Globalization;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// One agent attempt — the implement step's, or a fix attempt of the test step's loop — and the checks of what it
/// left in the workspace: it did not push, it succeeded, it changed something (when required), the change passes the
/// policy.
/// </summary>
internal sealed class AgentAttempt(
    ICodingAgent agent, IPromptBuilder prompts, IWorkspaceManager workspace, DependencyResults dependencies, ChangeCheck changes,
    ISecretMasker masker, IOptions<AgentRunnerOptions> options, TimeProvider time)
{
    /// <summary>Runs attempt <paramref name="attempt"/> and checks its change.</summary>
    /// <param name="context">The run (its workspace is prepared).</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="previousFailure">The failing tests' output the agent is asked to fix, for a fix attempt.</param>
    /// <param name="step">The step the attempt runs as.</param>
    /// <param name="cancellationToken">The step's budget.</param>
    /// <returns>Succeeded, or the failing verdict.</returns>
    public async Task<StepVerdict> RunAsync(RunContext context, int attempt, string? previousFailure, string step, CancellationToken cancellationToken)
    {
        var prepared = context.Workspace!;
        var task = await dependencies.FillInAsync(context.Task, cancellationToken).ConfigureAwait(false);
        var prompt = prompts.Build(new PromptRequest(task, prepared.Path, context.Task.TestCommands, attempt, previousFailure));
        var output = new AttemptOutputSink(context.Events);
        var pushesBefore = AgentPushDetector.Snapshot(prepared.Path);
        var start = time.GetTimestamp();
        var result = await ImplementAsync(context, prepared.Path, prompt, attempt, output, step, cancellationToken).ConfigureAwait(false);

        var duration = time.GetElapsedTime(start);
        context.AgentOutputs[attempt] = masker.Apply(output.Text);
        context.Implementations.Add(new ImplementationResult(result.Succeeded, result.ExitCode, duration, result.Error is null ? null : masker.Apply(result.Error), attempt) { Usage = result.Usage });
        context.Diff = await workspace.GetDiffAsync(prepared.Path, prepared.BaseCommit, cancellationToken).ConfigureAwait(false);

        var pushed = AgentPushDetector.Pushed(pushesBefore, AgentPushDetector.Snapshot(prepared.Path));
        if (pushed.Count > 0)
        {
            return StepVerdict.Fail(RunOutcome.Refused, step, $"The agent '{agent.Name}' pushed by itself ({string.Join(", ", pushed)} updated by push); only the runner pushes, once the tests pass.");
        }

        if (!result.Succeeded)
        {
            var reason = result.Error ?? $"The agent '{agent.Name}' failed with exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}.";
            return StepVerdict.Fail(result.TimedOut ? RunOutcome.TimedOut : result.LimitExceeded ? RunOutcome.ResourceLimitExceeded : RunOutcome.AgentFailed, step, reason);
        }

        if (context.Diff.IsEmpty && options.Value.RequireChanges)
        {
            return StepVerdict.Fail(RunOutcome.AgentFailed, step, $"The agent '{agent.Name}' finished without changing anything.");
        }

        return changes.Refuse(context, step) ?? StepVerdict.Succeeded;
    }

    /// <summary>Asks the agent, within the agent's own timeout when one is set.</summary>
    private async Task<AgentResult> ImplementAsync(RunContext context, string path, string prompt, int attempt, IRunEventSink output, string step, CancellationToken cancellationToken)
    {
        var limit = options.Value.AgentTimeout;
        using var agentTimeout = limit is { } l ? new CancellationTokenSource(l, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, agentTimeout.Token);
        try
        {
            return await agent.ImplementAsync(
                new AgentRequest { Task = context.Task, WorkspacePath = path, Prompt = prompt, Attempt = attempt, Events = output, StepName = step, Secrets = context.Secrets },
                linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (agentTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new AgentResult(false, null, $"The agent ran past its timeout of {limit:c}.", TimedOut: true);
        }
    }
}
