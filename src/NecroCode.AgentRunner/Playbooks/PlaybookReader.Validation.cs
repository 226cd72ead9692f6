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

    private void Validate(Playbook playbook)
    {
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
