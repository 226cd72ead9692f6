using System.Text;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Turns a task of <c>tasks.md</c> into the task context the runner takes: detail bullets (and the design sections
/// that concern it) as description, acceptance criteria resolved from its <c>_Requirements_</c> line (a sub-task
/// without one takes its parent's), and its dependencies.
/// </summary>
internal sealed class SpecTaskBuilder(string tasksPath, string specName, RequirementsDocument requirements, DesignDocument design, SpecReadOptions options)
{
    public TaskContext Build(TaskEntry entry, IReadOnlyList<string> dependsOn, IReadOnlyDictionary<string, TaskEntry> byId, List<SpecProblem> problems)
    {
        var criteria = CriteriaOf(entry, problems);
        var description = new StringBuilder(string.Join('\n', entry.Details.Select(d => "- " + d)));
        var context = design.ContextFor(entry.Title + "\n" + string.Join('\n', entry.Details), [.. criteria.Select(c => c.Id)], options.MaxDesignContextLength);
        if (context is not null)
        {
            description.Append(description.Length > 0 ? "\n\n" : "").Append("Design (from design.md):\n\n").Append(context);
        }

        return new TaskContext
        {
            TaskId = entry.Id!,
            SpecName = specName,
            Title = entry.Title,
            Description = description.ToString(),
            AcceptanceCriteria = [.. criteria.Select(c => $"{c.Id} {c.Text}")],
            Dependencies = [.. dependsOn.Select(id => new TaskDependency(id, byId.TryGetValue(id, out var d) ? d.Title : null))],
            TestCommands = [.. options.TestCommands],
        };
    }

    private List<RequirementsDocument.Criterion> CriteriaOf(TaskEntry entry, List<SpecProblem> problems)
    {
        var owner = entry;
        while (owner.Requirements.Count == 0 && owner.Parent is { } parent)
        {
            owner = parent;
        }

        var criteria = new List<RequirementsDocument.Criterion>();
        foreach (var (id, line) in owner.Requirements)
        {
            IEnumerable<RequirementsDocument.Criterion>? found = SpecReferences.IsAll(id) ? requirements.Criteria
                : SpecReferences.IsNumber(id) ? requirements.Resolve(id)
                : null;
            if (found is null)
            {
                // A parent's bad reference is reported once, at the parent.
                if (ReferenceEquals(owner, entry))
                {
                    problems.Add(new(tasksPath, line, SpecReferences.IsNumber(id)
                        ? $"task {entry.Id} {DesignDocument.UnknownReference(id, requirements)}"
                        : $"'{id}' in _Requirements_ is not a requirement number; write e.g. _Requirements: 1.1, 2.3_."));
                }

                continue;
            }

            criteria.AddRange(found.Where(c => !criteria.Contains(c)));
        }

        return criteria;
    }
}
