namespace NecroCode.AgentRunner.Playbooks;

internal sealed partial class PlaybookReader
{
    /// <summary>Merges the steps of an extending playbook into the default: anchored steps go before/after their anchor; unanchored ones replace the default step of their name.</summary>
    private List<PlaybookStep> Extend(List<PlaybookStep> custom)
    {
        var defaults = Playbook.Default.Steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var before = new Dictionary<string, List<PlaybookStep>>(StringComparer.Ordinal);
        var after = new Dictionary<string, List<PlaybookStep>>(StringComparer.Ordinal);
        var replaced = new Dictionary<string, PlaybookStep>(StringComparer.Ordinal);
        foreach (var step in custom)
        {
            var (file, line, column) = _places[step];
            var anchor = step.Before ?? step.After;
            if (anchor is not null)
            {
                if (!defaults.ContainsKey(anchor))
                {
                    Error(file, line, column, $"step '{step.Name}' is placed {(step.Before is not null ? "before" : "after")} '{anchor}', which is not a step of the default playbook; known: {string.Join(", ", PlaybookBuiltInSteps.All)}.");
                    continue;
                }

                var groups = step.Before is not null ? before : after;
                if (!groups.TryGetValue(anchor, out var list))
                {
                    groups[anchor] = list = [];
                }

                list.Add(step);
            }
            else if (defaults.ContainsKey(step.Name))
            {
                if (!replaced.TryAdd(step.Name, step))
                {
                    Error(file, line, column, $"duplicate step name '{step.Name}': the default step is replaced twice.");
                }
            }
            else
            {
                Error(file, line, column, $"step '{step.Name}' needs 'before' or 'after' (a step of the default playbook) in a playbook that extends '{Playbook.DefaultName}', or must be named after the default step it replaces.");
            }
        }

        var merged = new List<PlaybookStep>();
        foreach (var step in Playbook.Default.Steps)
        {
            merged.AddRange(before.GetValueOrDefault(step.Name) ?? []);
            merged.Add(replaced.GetValueOrDefault(step.Name) ?? step);
            merged.AddRange(after.GetValueOrDefault(step.Name) ?? []);
        }

        return merged;
    }

    /// <summary>
    /// The built-in step each built-in step needs earlier in the run (what it works on), from the step catalogue; a
    /// command step needs <see cref="PlaybookBuiltInSteps.PrepareWorkspace"/>. Commit needs test: nothing is committed
    /// or pushed untested.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> Prerequisites =
        Orchestration.Steps.BuiltInStepCatalog.All.Where(s => s.Requires is not null).ToDictionary(s => s.Name, s => s.Requires!, StringComparer.Ordinal);

    /// <summary>
    /// Checks the order of the steps: every step comes after the built-in step it needs (<see cref="Prerequisites"/>;
    /// an earlier step counts even when it has a condition, an else step counts only for the steps after it in its own
    /// list), and the built-in test step is a plain top-level step: no <c>if</c>, no <c>continue-on-error</c>.
    /// Checked for the playbook of a run (<see cref="PlaybookLoader.ResolveAsync"/>); <see cref="PlaybookLoader.LoadAsync(string, CancellationToken)"/> and
    /// <see cref="PlaybookLoader.Parse"/> also read partial playbooks, e.g. for <see cref="PlaybookExecutor"/> with the caller's own steps.
    /// </summary>
    private void CheckOrder(IReadOnlyList<PlaybookStep> steps, HashSet<string> done, string rootFile, bool inElse)
    {
        foreach (var step in steps)
        {
            var (file, line, column) = _places.TryGetValue(step, out var place) ? place : (rootFile, 0, 0);
            if (step.Uses == PlaybookBuiltInSteps.Test)
            {
                if (step.If is not null)
                {
                    Error(file, line, column, $"step '{step.Name}' runs the built-in test step, which cannot have an 'if': commit and push need the tests of the run to have passed.");
                }

                if (step.ContinueOnError)
                {
                    Error(file, line, column, $"step '{step.Name}' runs the built-in test step, which cannot continue on error (continue-on-error: true or fail-fast: false): failing tests must fail the run.");
                }

                if (inElse)
                {
                    Error(file, line, column, $"step '{step.Name}' runs the built-in test step, which cannot be an else step; place it in the top-level steps.");
                }
            }

            var needed = step.Uses is { } uses ? Prerequisites.GetValueOrDefault(uses) : PlaybookBuiltInSteps.PrepareWorkspace;
            if (needed is not null && !done.Contains(needed))
            {
                var what = step.Uses is null ? "runs a command in the workspace, so it" : $"runs the built-in {step.Uses} step, which";
                Error(file, line, column, $"step '{step.Name}' {what} needs a step with 'uses: {needed}' before it.");
            }

            if (step.Else.Count > 0)
            {
                CheckOrder(step.Else, new HashSet<string>(done, StringComparer.Ordinal), rootFile, inElse: true);
            }

            if (step.Uses is { } builtIn)
            {
                done.Add(builtIn);
            }
        }
    }

    private void Validate(Playbook playbook, string file)
    {
        if (_checkOrder)
        {
            CheckOrder(playbook.Steps, new HashSet<string>(StringComparer.Ordinal), file, inElse: false);
        }

        var first = new Dictionary<string, PlaybookStep>(StringComparer.Ordinal);
        foreach (var step in playbook.AllSteps())
        {
            if (step.Name.Length == 0 || first.TryAdd(step.Name, step))
            {
                continue;
            }

            if (_places.TryGetValue(step, out var place) || _places.TryGetValue(first[step.Name], out place))
            {
                var builtIn = PlaybookBuiltInSteps.IsBuiltIn(step.Name) && playbook.Extends is not null ? " (a step of the default playbook has that name)" : "";
                Error(place.File, place.Line, place.Column, $"duplicate step name '{step.Name}'{builtIn}.");
            }
        }

        var names = first.Keys.ToHashSet(StringComparer.Ordinal);

        foreach (var step in playbook.AllSteps())
        {
            if (step.If is not { } condition)
            {
                continue;
            }

            foreach (var (variable, column) in condition.Variables)
            {
                if (!playbook.Variables.ContainsKey(variable))
                {
                    Error(condition.File, condition.Line, condition.Column, $"condition '{condition.Text}' reads vars.{variable} (column {column}), which is not declared under 'variables'.");
                }
            }

            foreach (var (referenced, column) in condition.StepReferences)
            {
                if (!names.Contains(referenced))
                {
                    Error(condition.File, condition.Line, condition.Column, $"condition '{condition.Text}' reads steps.{referenced}.outcome (column {column}), but the playbook has no step '{referenced}'.");
                }
            }
        }
    }
}
