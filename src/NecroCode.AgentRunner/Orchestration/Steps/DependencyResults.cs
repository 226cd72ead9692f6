namespace NecroCode.AgentRunner.Orchestration.Steps;

/// <summary>
/// Fills in each dependency's branch and commit from the registry's record of that task's completion, where the
/// task itself does not give them, so that the prompt names what the task builds on.
/// </summary>
internal sealed class DependencyResults(ITaskRegistry registry)
{
    /// <summary>The task with what is known of its dependencies filled in.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels asking the registry.</param>
    /// <returns>The task, filled in where the registry knew more.</returns>
    public async Task<TaskContext> FillInAsync(TaskContext task, CancellationToken cancellationToken)
    {
        if (task.Dependencies.All(d => d.Branch is not null && d.CommitId is not null))
        {
            return task;
        }

        var dependencies = new List<TaskDependency>(task.Dependencies.Count);
        foreach (var dependency in task.Dependencies)
        {
            dependencies.Add(dependency.Branch is null || dependency.CommitId is null
                ? await FillInAsync(task.SpecName, dependency, cancellationToken).ConfigureAwait(false)
                : dependency);
        }

        return task with { Dependencies = dependencies };
    }

    private async Task<TaskDependency> FillInAsync(string spec, TaskDependency dependency, CancellationToken cancellationToken)
    {
        IReadOnlyList<TaskEvent> events;
        try
        {
            events = await registry.GetEventsAsync(new TaskKey(spec, dependency.TaskId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or AgentRunnerException or IOException)
        {
            // What a dependency produced is a hint for the prompt; not finding it must not fail the run.
            return dependency;
        }

        return events.LastOrDefault(e => e.Type == TaskEventTypes.TaskCompleted)?.Data is { } data
            ? dependency with
            {
                Branch = dependency.Branch ?? data.GetValueOrDefault("branch"),
                CommitId = dependency.CommitId ?? data.GetValueOrDefault("commit"),
            }
            : dependency;
    }
}
