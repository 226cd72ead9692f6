using System.Globalization;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Budgets;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// One agent attempt — the implement step's, or a fix attempt of the test step's loop — and the checks of what it
/// left in the workspace: it did not push, it succeeded, it changed something (when required), the change passes the
/// policy. It holds the attempt to its budget (<see cref="BudgetResolver"/>): an attempt the task cannot afford is not
/// started, and one that crossed a budget ends the run as <see cref="RunOutcome.BudgetExceeded"/>.
/// </summary>
internal sealed class AgentAttempt(
    ICodingAgent agent, IPromptBuilder prompts, IWorkspaceManager workspace, DependencyResults dependencies, ChangeCheck changes,
    ISecretMasker masker, IOptions<AgentRunnerOptions> options, TimeProvider time, BudgetResolver budgets)
{
    /// <summary>How long after its wall-time budget and grace period an agent that does not stop by itself is cancelled.</summary>
    private static readonly TimeSpan BudgetBackstop = TimeSpan.FromMinutes(1);

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
        var budget = budgets.For(context.Task, context.Playbook, AgentSpend.Total(context.Implementations));
        if (budgets.Unaffordable(budget) is { } refused)
        {
            BudgetTelemetry.Exceeded(refused.Breach);
            return StepVerdict.Fail(RunOutcome.BudgetExceeded, step, $"Attempt {attempt} of the agent '{agent.Name}' was not started: {refused.Reason}.");
        }

        var task = await dependencies.FillInAsync(context.Task, cancellationToken).ConfigureAwait(false);
        var prompt = prompts.Build(new PromptRequest(task, prepared.Path, context.Task.TestCommands, attempt, previousFailure));
        var output = new AttemptOutputSink(context.Events);
        var pushesBefore = AgentPushDetector.Snapshot(prepared.Path);
        var start = time.GetTimestamp();
        var result = await ImplementAsync(context, prepared.Path, prompt, attempt, output, step, budget, cancellationToken).ConfigureAwait(false);

        var duration = time.GetElapsedTime(start);
        result = OverBudget(result, budget, duration);
        context.AgentOutputs[attempt] = masker.Apply(output.Text);
        var implementation = new ImplementationResult(result.Succeeded, result.ExitCode, duration, result.Error is null ? null : masker.Apply(result.Error), attempt)
        {
            Usage = result.Usage,
            BudgetExceeded = result.BudgetExceeded,
        };
        context.Implementations.Add(implementation);
        BudgetTelemetry.Record(BudgetScope.Attempt, implementation.Spend);
        context.Diff = await workspace.GetDiffAsync(prepared.Path, prepared.BaseCommit, cancellationToken).ConfigureAwait(false);

        var pushed = AgentPushDetector.Pushed(pushesBefore, AgentPushDetector.Snapshot(prepared.Path));
        if (pushed.Count > 0)
        {
            return StepVerdict.Fail(RunOutcome.Refused, step, $"The agent '{agent.Name}' pushed by itself ({string.Join(", ", pushed)} updated by push); only the runner pushes, once the tests pass.");
        }

        if (result.BudgetExceeded is not null)
        {
            return StepVerdict.Fail(RunOutcome.BudgetExceeded, step, result.Error ?? $"The agent '{agent.Name}' crossed its budget: {result.BudgetExceeded.Description}.");
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

    /// <summary>
    /// Asks the agent, within the agent's own timeout when one is set, and a minute past its wall-time budget and grace
    /// period for an agent that does not stop at its budget by itself.
    /// </summary>
    private async Task<AgentResult> ImplementAsync(RunContext context, string path, string prompt, int attempt, IRunEventSink output, string step, AgentBudget budget, CancellationToken cancellationToken)
    {
        var limit = options.Value.AgentTimeout;
        using var agentTimeout = limit is { } l ? new CancellationTokenSource(l, time) : new CancellationTokenSource();
        using var backstop = budget.WallTimeLeft is { } left ? new CancellationTokenSource(left + budget.GracePeriod + BudgetBackstop, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, agentTimeout.Token, backstop.Token);
        var request = new AgentRequest
        {
            Task = context.Task, WorkspacePath = path, Prompt = prompt, Attempt = attempt, Events = output, StepName = step, Secrets = context.Secrets,
            Budget = budget.IsLimited ? budget : null,
        };
        try
        {
            return await agent.ImplementAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (agentTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new AgentResult(false, null, $"The agent ran past its timeout of {limit:c}.", TimedOut: true);
        }
        catch (OperationCanceledException) when (backstop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var breach = budget.Check(new AgentSpend(budget.WallTimeLeft!.Value))!;
            BudgetTelemetry.Exceeded(breach);
            return new AgentResult(false, null, $"The agent '{agent.Name}' did not stop at its wall-time budget ({breach.Description}) and was cancelled.") { BudgetExceeded = breach };
        }
    }

    /// <summary>The result as over budget when its final figures crossed one the agent did not stop at by itself.</summary>
    private AgentResult OverBudget(AgentResult result, AgentBudget budget, TimeSpan duration)
    {
        if (result.BudgetExceeded is not null || !budget.IsLimited || budget.Check(AgentSpend.Of(duration, result.Usage)) is not { } breach)
        {
            return result;
        }

        BudgetTelemetry.Exceeded(breach);
        return result with { Succeeded = false, BudgetExceeded = breach, Error = $"The agent '{agent.Name}' crossed its budget: {breach.Description}." };
    }
}
