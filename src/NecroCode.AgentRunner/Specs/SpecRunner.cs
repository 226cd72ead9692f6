using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Runs a spec's tasks through the execution environment (the normal pipeline, each task on its own branch), as many
/// at once as asked, each once its dependencies are done; a failed task blocks its dependants and the others go on.
/// </summary>
internal sealed partial class SpecRunner(
    IAgentRunner runner,
    ITaskRegistry registry,
    IExecutionEnvironment environment,
    IOptions<AgentRunnerOptions> options,
    TimeProvider time,
    ILogger<SpecRunner> logger) : ISpecRunner
{
    private readonly SpecPlanner _planner = new(runner, registry);
    private readonly SpecRunRecordStore _store = new(RunDirectories.Work(options.Value));

    /// <inheritdoc />
    public async Task<SpecPlan> PlanAsync(SpecRunRequest request, CancellationToken cancellationToken) =>
        (await _planner.PlanAsync(request, _store, cancellationToken).ConfigureAwait(false)).Plan;

    /// <inheritdoc />
    public async Task<SpecRunResult> RunAsync(SpecRunRequest request, CancellationToken cancellationToken)
    {
        var (plan, record) = await _planner.PlanAsync(request, _store, cancellationToken).ConfigureAwait(false);
        Log.SpecStarted(logger, plan.Spec.Name, plan.Items.Count(i => i.Action is SpecPlanAction.Run or SpecPlanAction.Resume), request.Parallel);
        using var execution = new SpecTaskExecution(plan.Spec, record, _store, environment, time, logger, request.Events);
        var results = new Dictionary<string, SpecTaskResult>(StringComparer.Ordinal);
        foreach (var item in plan.Items.Where(i => i.Action is SpecPlanAction.Done or SpecPlanAction.Skip))
        {
            results[item.Task.Id] = await execution.SettleAsync(item, CancellationToken.None).ConfigureAwait(false);
        }

        var pending = plan.Items.Where(i => i.Action is SpecPlanAction.Run or SpecPlanAction.Resume).ToList();
        var running = new Dictionary<Task<SpecTaskResult>, SpecPlanItem>();
        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var item in pending.ToList())
            {
                if (Blocker(item, results) is { } blocker)
                {
                    pending.Remove(item);
                    results[item.Task.Id] = Finish(request, new SpecTaskResult(item.Task.Id, item.Task.Title, SpecTaskOutcome.Blocked) { Branch = item.Branch, Reason = blocker });
                }
            }

            foreach (var item in pending.Where(i => IsReady(i, results)).Take(request.Parallel - running.Count).ToList())
            {
                pending.Remove(item);
                running.Add(execution.RunAsync(item, BaseOf(item, plan, results), cancellationToken), item);
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var done = running[finished];
            running.Remove(finished);
            results[done.Task.Id] = await finished.ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                foreach (var item in pending)
                {
                    results[item.Task.Id] = new SpecTaskResult(item.Task.Id, item.Task.Title, SpecTaskOutcome.Cancelled) { Reason = "the spec run was cancelled before it started" };
                }

                pending.Clear();
            }
        }

        var result = new SpecRunResult(plan.Spec.Name, [.. plan.Items.Select(i => results[i.Task.Id])]);
        Log.SpecFinished(logger, plan.Spec.Name, result.Tasks.Count(t => t.Outcome == SpecTaskOutcome.Succeeded), result.Tasks.Count(t => t.Outcome is SpecTaskOutcome.Failed or SpecTaskOutcome.Blocked));
        return result;
    }

    private static SpecTaskResult Finish(SpecRunRequest request, SpecTaskResult result)
    {
        request.Events?.Publish(new SpecTaskFinished(result.TaskId, result));
        return result;
    }

    /// <summary>Why the task cannot run (a dependency failed, was blocked or cancelled), or null.</summary>
    private static string? Blocker(SpecPlanItem item, Dictionary<string, SpecTaskResult> results) =>
        item.DependsOn.Select(d => results.GetValueOrDefault(d)).FirstOrDefault(r => r?.Outcome is SpecTaskOutcome.Failed or SpecTaskOutcome.Blocked or SpecTaskOutcome.Cancelled) is { } failed
            ? $"task {failed.TaskId} it depends on {(failed.Outcome == SpecTaskOutcome.Failed ? "failed" : failed.Outcome == SpecTaskOutcome.Blocked ? "was blocked" : "was cancelled")}"
            : null;

    /// <summary>Whether every dependency is done (now or before) or left out of the run.</summary>
    private static bool IsReady(SpecPlanItem item, Dictionary<string, SpecTaskResult> results) =>
        item.DependsOn.All(d => results.GetValueOrDefault(d)?.Outcome is SpecTaskOutcome.Succeeded or SpecTaskOutcome.AlreadyDone or SpecTaskOutcome.Skipped);

    /// <summary>
    /// The task with what its dependencies produced, and the branch it starts from: the pushed branch of its
    /// dependency latest in the document that has one (the workspace starts from the main branch instead when that
    /// commit is merged already).
    /// </summary>
    private static TaskContext BaseOf(SpecPlanItem item, SpecPlan plan, Dictionary<string, SpecTaskResult> results)
    {
        var task = item.Task.Context;
        var dependencies = item.DependsOn.Select(id => results.GetValueOrDefault(id) is { Branch: { } branch, CommitId: { } commit } r && r.Outcome is SpecTaskOutcome.Succeeded or SpecTaskOutcome.AlreadyDone
            ? new TaskDependency(id, r.Title, branch, commit)
            : new TaskDependency(id, plan.Spec.Find(id)?.Title)).ToList();
        var order = plan.Items.Select(i => i.Task.Id).ToList();
        var stacked = dependencies.Where(d => d.Branch is not null && d.CommitId is not null).MaxBy(d => order.IndexOf(d.TaskId));
        return task with { Dependencies = dependencies, BaseBranch = stacked?.Branch, BaseCommit = stacked?.CommitId };
    }
}
