using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Runs one step — built-in, a playbook's command step or a fix attempt — with what every step shares: its trace
/// activity, StepStarted/StepFinished, the fail point before it, the resource usage of its processes, the budget
/// that says why it was cancelled, the mapping of what escapes it to an outcome, and recording its result once
/// (the run's failure, the result list, the journal, the event and the metric, from here only).
/// </summary>
/// <remarks>Stateless; the run lives in the <see cref="RunContext"/>.</remarks>
internal sealed partial class StepRunner(ISecretMasker masker, TimeProvider time, ILogger<StepRunner> logger)
{
    /// <summary>Runs a built-in step: its guard, its resume rule, then its work.</summary>
    /// <param name="context">The run.</param>
    /// <param name="step">The step.</param>
    /// <param name="name">The name it runs under (a playbook may rename a built-in step).</param>
    /// <param name="budget">The step's budget.</param>
    /// <returns>The step's outcome.</returns>
    public Task<StepOutcome> RunAsync(RunContext context, IRunStep step, string name, StepBudget budget) =>
        RunAsync(context, name, budget, async (ctx, token) => step.Check(ctx) ?? step.Resume(ctx) ?? await step.RunAsync(ctx, token).ConfigureAwait(false));

    /// <summary>Runs <paramref name="body"/> as the step <paramref name="name"/>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="name">The step's name.</param>
    /// <param name="budget">The step's budget.</param>
    /// <param name="body">What the step does.</param>
    /// <returns>The step's outcome.</returns>
    public async Task<StepOutcome> RunAsync(RunContext context, string name, StepBudget budget, Func<RunContext, CancellationToken, Task<StepVerdict>> body)
    {
        using var activity = AgentRunnerTelemetry.Source.StartActivity("agentrunner.step");
        activity?.SetTag("agentrunner.step", name);
        context.Events.Publish(new StepStarted(name));
        FailPoint.Reach(FailPoint.Before(name));
        var start = time.GetTimestamp();
        StepOutcome outcome;
        string? message;
        var usage = ProcessUsageScope.Begin();
        try
        {
            budget.Token.ThrowIfCancellationRequested();
            var outer = context.StepBudget;
            context.StepBudget = budget;
            StepVerdict verdict;
            try
            {
                verdict = await body(context, budget.Token).ConfigureAwait(false);
            }
            finally
            {
                context.StepBudget = outer;
            }

            outcome = verdict.Outcome;
            if (verdict.Failure is { } failure)
            {
                context.Fail(failure.Outcome, failure.Step ?? name, masker.Apply(failure.Message), failure.Exception, failure.Always);
            }

            // The step's own reason; else the run's, when a step nested in this one recorded it under this name.
            message = verdict.Failure?.Message ?? (outcome != StepOutcome.Succeeded && context.Error?.Step == name ? context.Error.Message : null);
        }
        catch (OperationCanceledException ex) when (budget.Token.IsCancellationRequested)
        {
            var (runOutcome, why) = budget.WhyCancelled(name, context.Task.Timeout);
            outcome = runOutcome == RunOutcome.TimedOut ? StepOutcome.TimedOut : StepOutcome.Cancelled;
            message = why;
            Fail(context, runOutcome, name, why, ex);
        }
#pragma warning disable CA1031 // Whatever escapes a step becomes the run's outcome; the slot must still be released.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = StepOutcome.Failed;
            message = Unexpected(context, name, ex);
        }
        finally
        {
            usage.Dispose();
        }

        await RecordAsync(context, name, outcome, time.GetElapsedTime(start), message, usage, activity).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Maps an exception that escaped a step to the run's outcome; returns the step's message.</summary>
    private string Unexpected(RunContext context, string name, Exception exception)
    {
        switch (exception)
        {
            case TaskValidationException:
                Fail(context, RunOutcome.InvalidTask, name, exception.Message, exception);
                return exception.Message;
            case TaskConflictException:
                Fail(context, RunOutcome.Conflict, name, exception.Message, exception);
                return exception.Message;
            case ClaimLostException:
                // The registry refused a write: another runner holds the task now. The run stops and writes nothing more.
                var lost = $"{exception.Message} This run stopped and wrote nothing more.";
                context.LoseClaim(lost);
                Fail(context, RunOutcome.Conflict, name, lost, exception);
                return lost;
            case PushRefusedException:
                Fail(context, RunOutcome.Refused, name, exception.Message, exception);
                return exception.Message;
            case AgentRunnerException:
                // An expected condition of a neighbour (a busy pool, a broken slot, an unreachable remote …): one
                // line; the stack trace only at Debug level.
                var message = $"{name} failed: {exception.Message}";
                Fail(context, RunOutcome.InfrastructureError, name, message, exception);
                Log.StepFailed(logger, name, context.Key.ToString(), masker.Apply(exception.Message));
                Log.StepFailedDetail(logger, name, context.Key.ToString(), exception);
                return message;
            default:
                var crashed = $"{name} failed: {exception.Message}";
                Fail(context, RunOutcome.InfrastructureError, name, crashed, exception);
                Log.StepCrashed(logger, name, context.Key.ToString(), exception);
                return crashed;
        }
    }

    /// <summary>Records a step that ended, once: the result list, the journal, the event, the metric and the trace.</summary>
    private async Task RecordAsync(RunContext context, string name, StepOutcome outcome, TimeSpan elapsed, string? message, ProcessUsageScope usage, Activity? activity)
    {
        var masked = message is null ? null : masker.Apply(message);
        context.Steps.Add(new StepResult(name, outcome, elapsed, masked) { PeakMemoryBytes = usage.PeakMemoryBytes, CpuTime = usage.CpuTime, SandboxRefusals = usage.SandboxRefusals });
        await RecordInJournalAsync(context, name, outcome).ConfigureAwait(false);
        context.Events.Publish(new StepFinished(name, outcome, elapsed, masked));
        AgentRunnerTelemetry.StepDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("step", name),
            new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        if (outcome != StepOutcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, masked);
        }
    }

    /// <summary>Records the ended step and the runner's state in the journal (best effort: a failed write is logged).</summary>
    private async Task RecordInJournalAsync(RunContext context, string step, StepOutcome outcome)
    {
        try
        {
            await context.SaveJournalAsync(
                j => j with { State = context.State.Current, CompletedSteps = [.. j.CompletedSteps, new JournalStep(step, outcome, j.Resumes)] },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.JournalNotWritten(logger, context.Key.ToString(), step, ex);
        }
    }

    private void Fail(RunContext context, RunOutcome outcome, string step, string message, Exception exception) =>
        context.Fail(outcome, step, masker.Apply(message), exception);
}
