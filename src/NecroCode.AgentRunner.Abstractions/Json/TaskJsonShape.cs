using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NecroCode.AgentRunner;

/// <summary>
/// Checks a task document against its documented shape before it is bound: every field with a wrong type,
/// and every unknown (or wrongly cased) field, is reported by field path with the form expected. The fields
/// with problems are dropped, so that the rest can still be bound and validated.
/// </summary>
internal static class TaskJsonShape
{
    private enum Kind
    {
        String,
        StringList,
        Boolean,
        Duration,
        Dependencies,
        Metadata,
        Budgets,
    }

    private static readonly Dictionary<string, Kind> Fields = new(StringComparer.Ordinal)
    {
        ["taskId"] = Kind.String,
        ["specName"] = Kind.String,
        ["title"] = Kind.String,
        ["description"] = Kind.String,
        ["acceptanceCriteria"] = Kind.StringList,
        ["dependencies"] = Kind.Dependencies,
        ["requiredSkill"] = Kind.String,
        ["slotPath"] = Kind.String,
        ["slotId"] = Kind.String,
        ["branchName"] = Kind.String,
        ["testCommands"] = Kind.StringList,
        ["failFast"] = Kind.Boolean,
        ["timeout"] = Kind.Duration,
        ["playbookPath"] = Kind.String,
        ["metadata"] = Kind.Metadata,
        ["baseBranch"] = Kind.String,
        ["baseCommit"] = Kind.String,
        ["budgets"] = Kind.Budgets,
    };

    private static readonly string[] BudgetScopes = ["attempt", "task"];

    private static readonly string[] BudgetFields = ["wallTime", "turns", "inputTokens", "outputTokens", "costUsd"];

    private static readonly string[] DependencyFields = ["taskId", "title", "branch", "commitId", "summary"];

    /// <summary>Checks <paramref name="root"/>; returns the problems and the document without the fields that have them.</summary>
    public static (List<TaskValidationError> Errors, JsonObject? Clean) Check(JsonNode? root)
    {
        var errors = new List<TaskValidationError>();
        if (root is not JsonObject document)
        {
            errors.Add(new("$", $"expected an object (the task), got {Describe(root)}."));
            return (errors, null);
        }

        var clean = new JsonObject();
        foreach (var (name, value) in document)
        {
            if (!Fields.TryGetValue(name, out var kind))
            {
                errors.Add(new(name, UnknownField(name, Fields.Keys, "put your own data into metadata")));
                continue;
            }

            var before = errors.Count;
            CheckValue(errors, name, kind, value);
            if (errors.Count == before)
            {
                clean[name] = value?.DeepClone();
            }
        }

        return (errors, clean);
    }

    private static void CheckValue(List<TaskValidationError> errors, string path, Kind kind, JsonNode? value)
    {
        switch (kind)
        {
            case Kind.String:
                ExpectString(errors, path, value, allowNull: true);
                break;
            case Kind.Boolean:
                if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new(path, $"expected true or false, got {Describe(value)}."));
                }

                break;
            case Kind.Duration:
                if (value?.GetValueKind() != JsonValueKind.String)
                {
                    errors.Add(new(path, $"expected [d.]hh:mm:ss, got {Describe(value)}."));
                }
                else if (!TimeSpan.TryParseExact(value.GetValue<string>(), "c", CultureInfo.InvariantCulture, out _))
                {
                    errors.Add(new(path, $"expected [d.]hh:mm:ss, got {Describe(value)}."));
                }

                break;
            case Kind.StringList:
                if (value is null)
                {
                    break;
                }

                if (value is not JsonArray list)
                {
                    errors.Add(new(path, $"expected a list of strings, got {Describe(value)}."));
                    break;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    ExpectString(errors, $"{path}[{i}]", list[i], allowNull: false);
                }

                break;
            case Kind.Dependencies:
                CheckDependencies(errors, path, value);
                break;
            case Kind.Budgets:
                CheckBudgets(errors, path, value);
                break;
            case Kind.Metadata:
                if (value is null)
                {
                    break;
                }

                if (value is not JsonObject metadata)
                {
                    errors.Add(new(path, $"expected an object of string values, got {Describe(value)}."));
                    break;
                }

                foreach (var (key, entry) in metadata)
                {
                    if (entry?.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    {
                        errors.Add(new($"{path}.{key}", $"expected a string, number or boolean, got {Describe(entry)}."));
                    }
                }

                break;
        }
    }

    private static void CheckDependencies(List<TaskValidationError> errors, string path, JsonNode? value)
    {
        if (value is null)
        {
            return;
        }

        if (value is not JsonArray list)
        {
            errors.Add(new(path, $"expected a list of dependencies ({{ \"taskId\": ... }}), got {Describe(value)}."));
            return;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (list[i] is not JsonObject dependency)
            {
                errors.Add(new(itemPath, $"expected an object with taskId, got {Describe(list[i])}."));
                continue;
            }

            foreach (var (name, field) in dependency)
            {
                if (!DependencyFields.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(new($"{itemPath}.{name}", UnknownField(name, DependencyFields, "known: " + string.Join(", ", DependencyFields))));
                }
                else
                {
                    ExpectString(errors, $"{itemPath}.{name}", field, allowNull: name != "taskId");
                }
            }
        }
    }

    private static void CheckBudgets(List<TaskValidationError> errors, string path, JsonNode? value)
    {
        if (value is null)
        {
            return;
        }

        if (value is not JsonObject budgets)
        {
            errors.Add(new(path, $"expected an object with attempt and/or task limits, got {Describe(value)}."));
            return;
        }

        foreach (var (scope, limits) in budgets)
        {
            var scopePath = $"{path}.{scope}";
            if (!BudgetScopes.Contains(scope, StringComparer.Ordinal))
            {
                errors.Add(new(scopePath, UnknownField(scope, BudgetScopes, "known: " + string.Join(", ", BudgetScopes))));
                continue;
            }

            if (limits is null)
            {
                continue;
            }

            if (limits is not JsonObject figures)
            {
                errors.Add(new(scopePath, $"expected an object of limits ({string.Join(", ", BudgetFields)}), got {Describe(limits)}."));
                continue;
            }

            foreach (var (name, figure) in figures)
            {
                var figurePath = $"{scopePath}.{name}";
                if (!BudgetFields.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add(new(figurePath, UnknownField(name, BudgetFields, "known: " + string.Join(", ", BudgetFields))));
                }
                else if (figure is not null && name == "wallTime")
                {
                    CheckValue(errors, figurePath, Kind.Duration, figure);
                }
                else if (figure is not null && (figure.GetValueKind() != JsonValueKind.Number || (name == "turns" ? !figure.AsValue().TryGetValue<int>(out _) : name != "costUsd" && !figure.AsValue().TryGetValue<long>(out _))))
                {
                    errors.Add(new(figurePath, $"expected {(name == "costUsd" ? "a number (US dollars)" : "a whole number")}, got {Describe(figure)}."));
                }
            }
        }
    }

    private static void ExpectString(List<TaskValidationError> errors, string path, JsonNode? value, bool allowNull)
    {
        if ((value is null && !allowNull) || (value is not null && value.GetValueKind() != JsonValueKind.String))
        {
            errors.Add(new(path, $"expected a string, got {Describe(value)}."));
        }
    }

    private static string UnknownField(string name, IEnumerable<string> known, string hint)
    {
        var cased = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        return cased is not null
            ? $"is not a field; names are case-sensitive: did you mean '{cased}'?"
            : $"is not a field ({hint}).";
    }

    private static string Describe(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => $"'{Shorten(value.GetValue<string>())}'",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "a value",
    };

    private static string Shorten(string text)
    {
        var printable = new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 40 ? printable + "..." : printable;
    }
}
