namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// A validated, ready-to-run playbook: its variables and its steps in run order, with includes
/// spliced in and, for a playbook that extends the default, its steps merged into the default's.
/// </summary>
public sealed record Playbook
{
    /// <summary>The name of the built-in playbook, and the only value <c>extends</c> accepts.</summary>
    public const string DefaultName = "default";

    /// <summary>The playbook's name.</summary>
    public required string Name { get; init; }

    /// <summary>What the playbook is for.</summary>
    public string Description { get; init; } = "";

    /// <summary>Variables the conditions read as <c>vars.&lt;name&gt;</c>.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The steps, in run order (fully resolved).</summary>
    public required IReadOnlyList<PlaybookStep> Steps { get; init; }

    /// <summary>The file it was loaded from; null for the built-in default and for parsed text without a file.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The playbook it extends (<see cref="DefaultName"/>), or null when it lists all its steps itself.</summary>
    public string? Extends { get; init; }

    /// <summary>The agent's budgets for tasks that follow this playbook (<c>budgets</c>); a task's own figures win over these, these over the settings.</summary>
    public TaskBudgets? Budgets { get; init; }

    /// <summary>
    /// The built-in default playbook: exactly the built-in pipeline, register through push, then
    /// upload-artifacts, report and release-slot, which run even after a failure.
    /// </summary>
    public static Playbook Default { get; } = new()
    {
        Name = DefaultName,
        Description = "The built-in pipeline.",
        Steps = [.. PlaybookBuiltInSteps.All.Select(n => new PlaybookStep { Name = n, Uses = n, Always = PlaybookBuiltInSteps.IsAlwaysByDefault(n) })],
    };

    /// <summary>Every step, including else steps at any depth, in document order.</summary>
    /// <returns>The steps, depth first.</returns>
    public IEnumerable<PlaybookStep> AllSteps()
    {
        var stack = new Stack<PlaybookStep>(Steps.Reverse());
        while (stack.Count > 0)
        {
            var step = stack.Pop();
            yield return step;
            for (var i = step.Else.Count - 1; i >= 0; i--)
            {
                stack.Push(step.Else[i]);
            }
        }
    }
}
