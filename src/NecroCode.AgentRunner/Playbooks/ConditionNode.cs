namespace NecroCode.AgentRunner.Playbooks;

/// <summary>A node of a parsed condition; evaluation reads only the context, never reflects or runs code.</summary>
internal abstract class ConditionNode
{
    public abstract ConditionValue Evaluate(ConditionEvaluation evaluation);
}

/// <summary>What one evaluation needs: the context and where the condition came from (for errors).</summary>
internal sealed record ConditionEvaluation(IConditionContext Context, PlaybookCondition Condition);

internal sealed class LiteralNode(ConditionValue value) : ConditionNode
{
    public ConditionValue Value { get; } = value;

    public override ConditionValue Evaluate(ConditionEvaluation evaluation) => Value;
}

internal sealed class TaskFieldNode(string field) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation)
    {
        var task = evaluation.Context.Task;
        return field switch
        {
            "taskid" => ConditionValue.Of(task.TaskId),
            "specname" => ConditionValue.Of(task.SpecName),
            "title" => ConditionValue.Of(task.Title),
            "description" => ConditionValue.Of(task.Description),
            "requiredskill" or "skill" => ConditionValue.Of(task.RequiredSkill),
            "branchname" => ConditionValue.Of(task.BranchName),
            "failfast" => ConditionValue.Of(task.FailFast),
            _ => ConditionValue.Null,
        };
    }
}

internal sealed class MetadataNode(string key) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation)
    {
        var metadata = evaluation.Context.Task.Metadata;
        if (metadata.TryGetValue(key, out var value))
        {
            return ConditionValue.Of(value);
        }

        foreach (var pair in metadata)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return ConditionValue.Of(pair.Value);
            }
        }

        return ConditionValue.Null;
    }
}

internal sealed class VariableNode(string name) : ConditionNode
{
    public string Name { get; } = name;

    public override ConditionValue Evaluate(ConditionEvaluation evaluation) =>
        evaluation.Context.Variables.TryGetValue(Name, out var value) ? ConditionValue.Of(value) : ConditionValue.Null;
}

internal sealed class StepOutcomeNode(string step) : ConditionNode
{
    public string Step { get; } = step;

    public override ConditionValue Evaluate(ConditionEvaluation evaluation) =>
        evaluation.Context.GetStepOutcome(Step) is { } outcome
            ? ConditionValue.Of(outcome.ToString().ToLowerInvariant())
            : ConditionValue.Null;
}

internal sealed class NotNode(ConditionNode operand) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation) => ConditionValue.Of(!operand.Evaluate(evaluation).IsTruthy);
}

internal sealed class AndNode(ConditionNode left, ConditionNode right) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation) =>
        ConditionValue.Of(left.Evaluate(evaluation).IsTruthy && right.Evaluate(evaluation).IsTruthy);
}

internal sealed class OrNode(ConditionNode left, ConditionNode right) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation) =>
        ConditionValue.Of(left.Evaluate(evaluation).IsTruthy || right.Evaluate(evaluation).IsTruthy);
}

internal sealed class CompareNode(ConditionTokenKind op, ConditionNode left, ConditionNode right) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation) =>
        ConditionValue.Of(Compare(op, left.Evaluate(evaluation), right.Evaluate(evaluation)));

    /// <summary>
    /// Numbers (and strings that are plain decimal numbers) compare numerically when both sides are numeric;
    /// null equals only null and is never ordered; everything else compares as text, ignoring case (ordinal).
    /// </summary>
    internal static bool Compare(ConditionTokenKind op, ConditionValue a, ConditionValue b)
    {
        int order;
        if (a.TryGetNumber(out var x) && b.TryGetNumber(out var y))
        {
            order = x.CompareTo(y);
        }
        else if (a.Kind == ConditionValueKind.Null || b.Kind == ConditionValueKind.Null)
        {
            var both = a.Kind == b.Kind;
            return op switch
            {
                ConditionTokenKind.Equal => both,
                ConditionTokenKind.NotEqual => !both,
                _ => false,
            };
        }
        else
        {
            order = StringComparer.OrdinalIgnoreCase.Compare(a.AsText(), b.AsText());
        }

        return op switch
        {
            ConditionTokenKind.Equal => order == 0,
            ConditionTokenKind.NotEqual => order != 0,
            ConditionTokenKind.Less => order < 0,
            ConditionTokenKind.LessOrEqual => order <= 0,
            ConditionTokenKind.Greater => order > 0,
            ConditionTokenKind.GreaterOrEqual => order >= 0,
            _ => false,
        };
    }
}

internal sealed class TextFunctionNode(string name, ConditionNode text, ConditionNode part) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation)
    {
        var haystack = text.Evaluate(evaluation).AsText();
        var needle = part.Evaluate(evaluation).AsText();
        return ConditionValue.Of(name switch
        {
            "contains" => haystack.Contains(needle, StringComparison.OrdinalIgnoreCase),
            "startswith" => haystack.StartsWith(needle, StringComparison.OrdinalIgnoreCase),
            _ => haystack.EndsWith(needle, StringComparison.OrdinalIgnoreCase),
        });
    }
}

internal sealed class StatusFunctionNode(string name) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation) => name switch
    {
        "success" => ConditionValue.Of(!evaluation.Context.HasFailed),
        "failure" => ConditionValue.Of(evaluation.Context.HasFailed),
        _ => ConditionValue.True,
    };
}

internal sealed class ExistsNode(ConditionNode path) : ConditionNode
{
    public override ConditionValue Evaluate(ConditionEvaluation evaluation)
    {
        var relative = path.Evaluate(evaluation).AsText();
        if (WorkspacePaths.Check(relative) is { } problem)
        {
            throw evaluation.Condition.EvaluationError($"exists('{relative}'): {problem}");
        }

        if (evaluation.Context.WorkspacePath is not { } workspace)
        {
            return ConditionValue.False;
        }

        var full = WorkspacePaths.Resolve(workspace, relative);
        if (full is null)
        {
            throw evaluation.Condition.EvaluationError($"exists('{relative}'): the path leads outside the workspace.");
        }

        return ConditionValue.Of(File.Exists(full) || Directory.Exists(full));
    }
}
