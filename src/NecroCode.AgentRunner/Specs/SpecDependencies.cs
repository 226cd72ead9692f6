namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Resolves what each task (without sub-tasks) builds on: its <c>_Depends_</c> line (a parent standing for its
/// sub-tasks; the first sub-task of a parent with a <c>_Depends_</c> line takes the parent's), else the task before it in
/// the document. Unknown tasks and cycles are problems at the line that names them.
/// </summary>
internal static class SpecDependencies
{
    public static Dictionary<TaskEntry, (List<string> Ids, bool Explicit)> Resolve(string path, List<TaskEntry> entries, List<SpecProblem> problems)
    {
        var byId = entries.Where(e => e.Id is not null).GroupBy(e => e.Id!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var leaves = entries.Where(e => e.IsLeaf && e.Id is not null).ToList();
        var result = new Dictionary<TaskEntry, (List<string> Ids, bool Explicit)>();
        TaskEntry? previous = null;
        foreach (var leaf in leaves)
        {
            var stated = StatedDependencies(leaf);
            if (stated is null)
            {
                result[leaf] = (previous is null ? [] : [previous.Id!], false);
            }
            else
            {
                var ids = new List<string>();
                foreach (var (id, line) in stated)
                {
                    if (!byId.TryGetValue(id, out var target))
                    {
                        problems.Add(new(path, line, SpecReferences.IsNumber(id)
                            ? $"task {leaf.Id} depends on task {id}, which tasks.md does not have."
                            : $"'{id}' in _Depends_ is not a task number; write e.g. _Depends: 1.2, 3_ or _Depends: none_."));
                        continue;
                    }

                    foreach (var dependency in LeavesOf(target).Where(d => !ReferenceEquals(d, leaf) && !ids.Contains(d.Id!)))
                    {
                        ids.Add(dependency.Id!);
                    }

                    if (LeavesOf(target).Contains(leaf))
                    {
                        problems.Add(new(path, line, $"task {leaf.Id} depends on itself (through {id})."));
                    }
                }

                result[leaf] = (ids, true);
            }

            previous = leaf;
        }

        FindCycles(path, leaves, result, problems);
        return result;
    }

    /// <summary>The task's own <c>_Depends_</c> line, or the line of the parents it is the first sub-task of.</summary>
    private static List<(string Id, int Line)>? StatedDependencies(TaskEntry leaf)
    {
        if (leaf.Depends is not null)
        {
            return leaf.Depends;
        }

        for (var child = leaf; child.Parent is { } parent && ReferenceEquals(parent.Children[0], child); child = parent)
        {
            if (parent.Depends is not null)
            {
                return parent.Depends;
            }
        }

        return null;
    }

    private static IEnumerable<TaskEntry> LeavesOf(TaskEntry entry) =>
        entry.IsLeaf ? (entry.Id is null ? [] : [entry]) : entry.Children.SelectMany(LeavesOf);

    private static void FindCycles(string path, List<TaskEntry> leaves, Dictionary<TaskEntry, (List<string> Ids, bool Explicit)> dependencies, List<SpecProblem> problems)
    {
        var byId = leaves.GroupBy(l => l.Id!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var trail = new List<string>();
        foreach (var leaf in byId.Values)
        {
            Visit(leaf.Id!);
        }

        void Visit(string id)
        {
            if (state.GetValueOrDefault(id) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(id) == 1)
            {
                var cycle = trail.Skip(trail.IndexOf(id)).Append(id).ToList();
                // The cycle is named at a _Depends_ line that closes it (without one there would be no cycle).
                var members = cycle.Skip(1).Select(m => byId[m]).ToList();
                var at = members.FirstOrDefault(m => m.Depends is { Count: > 0 }) ?? members[0];
                var line = at.Depends is [var first, ..] ? first.Line : at.Line;
                problems.Add(new(path, line, $"the dependencies form a cycle: {string.Join(" → ", cycle)}."));
                return;
            }

            state[id] = 1;
            trail.Add(id);
            foreach (var next in dependencies[byId[id]].Ids.Where(byId.ContainsKey))
            {
                Visit(next);
            }

            trail.RemoveAt(trail.Count - 1);
            state[id] = 2;
        }
    }
}
