namespace NecroCode.AgentRunner.Specs;

/// <summary>A spec and what a run does with each of its tasks.</summary>
/// <param name="Spec">The spec as read.</param>
/// <param name="Items">Every task without sub-tasks, in document order.</param>
public sealed record SpecPlan(SpecFolder Spec, IReadOnlyList<SpecPlanItem> Items)
{
    /// <summary>The item of task <paramref name="taskId"/>.</summary>
    /// <param name="taskId">The task's number.</param>
    /// <returns>The item.</returns>
    /// <exception cref="KeyNotFoundException">The plan has no such task.</exception>
    public SpecPlanItem this[string taskId] => Items.FirstOrDefault(i => i.Task.Id == taskId) ?? throw new KeyNotFoundException($"The plan has no task {taskId}.");

    /// <summary>
    /// The tasks that run, in rounds: each round's tasks depend only on tasks done before or in earlier rounds, so
    /// the tasks of one round may run side by side.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SpecPlanItem>> Rounds
    {
        get
        {
            var toRun = Items.Where(i => i.Action is SpecPlanAction.Run or SpecPlanAction.Resume).ToDictionary(i => i.Task.Id, StringComparer.Ordinal);
            var round = new Dictionary<string, int>(StringComparer.Ordinal);
            int RoundOf(SpecPlanItem item) => round.TryGetValue(item.Task.Id, out var r) ? r
                : round[item.Task.Id] = item.DependsOn.Where(toRun.ContainsKey).Select(d => RoundOf(toRun[d]) + 1).DefaultIfEmpty(0).Max();
            return [.. toRun.Values.GroupBy(RoundOf).OrderBy(g => g.Key).Select(g => (IReadOnlyList<SpecPlanItem>)[.. g])];
        }
    }
}
