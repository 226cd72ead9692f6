namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Works out what a spec run does with each task: done tasks (ticked off, or recorded done by the registry after a
/// crash before the tick) are not run again and give their branch and commit to their dependants; tasks outside the
/// selection or optional ones are skipped; the others run, or resume when they are marked in progress. Every task
/// that would run is checked as <see cref="IAgentRunner.CheckAsync"/> does, before anything runs.
/// </summary>
internal sealed class SpecPlanner(IAgentRunner runner, ITaskRegistry registry)
{
    public async Task<(SpecPlan Plan, SpecRunRecord Record)> PlanAsync(SpecRunRequest request, SpecRunRecordStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Parallel < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Parallel, "Parallel must be at least 1.");
        }

        var spec = await SpecFolder.ReadAsync(request.Folder, request.ReadOptions, cancellationToken).ConfigureAwait(false);
        var problems = new List<SpecProblem>();
        var selected = Select(spec, request, problems);
        var record = await store.ReadAsync(spec.Name, spec.Path, cancellationToken).ConfigureAwait(false);
        var items = new List<SpecPlanItem>();
        foreach (var task in spec.WorkItems)
        {
            items.Add(await PlanAsync(spec.TasksPath, task, selected.Contains(task.Id), request.IncludeOptional, record, problems, cancellationToken).ConfigureAwait(false));
        }

        if (problems.Count > 0)
        {
            throw new SpecFormatException(problems);
        }

        return (new SpecPlan(spec, [.. items.Select(i => i with { DependsOn = EffectiveDependencies(i.Task, items) })]), record);
    }

    private async Task<SpecPlanItem> PlanAsync(string tasksPath, SpecTask task, bool selected, bool includeOptional, SpecRunRecord record, List<SpecProblem> problems, CancellationToken cancellationToken)
    {
        var key = TaskKey.Of(task.Context);
        var recorded = record.Tasks.GetValueOrDefault(task.Id);
        if (task.Status == SpecTaskStatus.Done)
        {
            var (branch, commit) = recorded is { State: SpecRunRecordState.Done } ? (recorded.Branch, recorded.CommitId) : await CompletedAsync(key, cancellationToken).ConfigureAwait(false);
            return new SpecPlanItem(task, SpecPlanAction.Done) { Branch = branch, CommitId = commit, Reason = "ticked off in tasks.md" };
        }

        if ((await registry.GetTaskAsync(key, cancellationToken).ConfigureAwait(false))?.State == TaskState.Done)
        {
            var (branch, commit) = await CompletedAsync(key, cancellationToken).ConfigureAwait(false);
            return new SpecPlanItem(task, SpecPlanAction.Done) { Branch = branch, CommitId = commit, Reason = "the registry records it as done" };
        }

        if (!selected || (task.IsOptional && !includeOptional))
        {
            return new SpecPlanItem(task, SpecPlanAction.Skip) { Reason = selected ? "optional (--include-optional runs it)" : "not selected" };
        }

        try
        {
            var check = await runner.CheckAsync(task.Context, cancellationToken).ConfigureAwait(false);
            var resume = task.Status == SpecTaskStatus.InProgress || recorded?.State == SpecRunRecordState.Running;
            return new SpecPlanItem(task, resume ? SpecPlanAction.Resume : SpecPlanAction.Run) { Branch = check.Branch };
        }
        catch (AgentRunnerException ex) when (ex is TaskValidationException or TaskConflictException or Playbooks.PlaybookException)
        {
            problems.Add(new(tasksPath, task.Line, $"task {task.Id}: {ex.Message}"));
            return new SpecPlanItem(task, SpecPlanAction.Run);
        }
    }

    /// <summary>The task's dependencies, with each optional task left out replaced by its own dependencies.</summary>
    private static List<string> EffectiveDependencies(SpecTask task, List<SpecPlanItem> items)
    {
        var result = new List<string>();
        foreach (var id in task.DependsOn)
        {
            var item = items.FirstOrDefault(i => i.Task.Id == id);
            var passThrough = item is { Action: SpecPlanAction.Skip, Task.IsOptional: true } && item.Task.Status != SpecTaskStatus.Done;
            foreach (var dependency in passThrough ? EffectiveDependencies(item!.Task, items) : [id])
            {
                if (!result.Contains(dependency))
                {
                    result.Add(dependency);
                }
            }
        }

        return result;
    }

    /// <summary>The branch and commit the registry's completion event of the task names.</summary>
    private async Task<(string? Branch, string? Commit)> CompletedAsync(TaskKey key, CancellationToken cancellationToken)
    {
        var events = await registry.GetEventsAsync(key, cancellationToken).ConfigureAwait(false);
        return events.LastOrDefault(e => e.Type == TaskEventTypes.TaskCompleted)?.Data is { } data
            ? (data.GetValueOrDefault("branch"), data.GetValueOrDefault("commit"))
            : (null, null);
    }

    /// <summary>The tasks <c>--only</c> and <c>--from</c> select; a number that names no task is a problem.</summary>
    private static HashSet<string> Select(SpecFolder spec, SpecRunRequest request, List<SpecProblem> problems)
    {
        var work = spec.WorkItems.ToList();
        bool Names(string id, SpecTask task) => task.Id == id || task.Id.StartsWith(id + ".", StringComparison.Ordinal);
        foreach (var id in request.Only.Append(request.From).OfType<string>().Where(id => !work.Any(t => Names(id, t))))
        {
            problems.Add(new(spec.TasksPath, 0, $"there is no task {id} to select (tasks: {string.Join(", ", work.Select(t => t.Id))})."));
        }

        var from = request.From is { } start ? Math.Max(0, work.FindIndex(t => Names(start, t))) : 0;
        return work.Skip(from)
            .Where(t => request.Only.Count == 0 || request.Only.Any(id => Names(id, t)))
            .Select(t => t.Id)
            .ToHashSet(StringComparer.Ordinal);
    }
}
