using System.Text.Json;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner;

/// <summary>
/// Checks a <see cref="TaskContext"/> before anything is touched and reports every
/// problem at once, by field path.
/// </summary>
public static partial class TaskContextValidator
{
    /// <summary>Longest accepted task id or spec name.</summary>
    public const int MaxIdentifierLength = 100;

    /// <summary>Longest accepted task timeout: one day.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>Returns every problem of <paramref name="task"/>; empty when it is valid.</summary>
    /// <param name="task">The task to check.</param>
    /// <returns>The problems found, in field order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public static IReadOnlyList<TaskValidationError> Validate(TaskContext task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var errors = new List<TaskValidationError>();

        Identifier(errors, "taskId", task.TaskId);
        Identifier(errors, "specName", task.SpecName);
        if (string.IsNullOrWhiteSpace(task.Title))
        {
            errors.Add(new("title", "is required."));
        }
        else if (task.Title.Any(char.IsControl))
        {
            errors.Add(new("title", "must be one line without control characters."));
        }

        NoBlankEntries(errors, "acceptanceCriteria", task.AcceptanceCriteria);
        for (var i = 0; i < task.Dependencies.Count; i++)
        {
            if (task.Dependencies[i] is null)
            {
                errors.Add(new($"dependencies[{i}]", "must not be null."));
            }
            else if (string.IsNullOrWhiteSpace(task.Dependencies[i].TaskId))
            {
                errors.Add(new($"dependencies[{i}].taskId", "is required."));
            }
        }

        if (task.SlotPath is { } slotPath && (slotPath.Length == 0 || !Path.IsPathFullyQualified(slotPath) || slotPath.Contains('\0', StringComparison.Ordinal)))
        {
            errors.Add(new("slotPath", "must be an absolute path."));
        }

        if (task.SlotId is { } slotId && !IdentifierPattern().IsMatch(slotId))
        {
            errors.Add(new("slotId", "may hold only letters, digits, '.', '_' and '-'."));
        }

        if (task.BranchName is { } branch && !GitRefName.IsValidBranchName(branch))
        {
            errors.Add(new("branchName", $"'{Printable(branch)}' is not a valid git branch name."));
        }

        ValidateBase(errors, task);
        NoBlankEntries(errors, "testCommands", task.TestCommands);
        if (task.Timeout <= TimeSpan.Zero || task.Timeout > MaxTimeout)
        {
            errors.Add(new("timeout", $"must be more than zero and at most {MaxTimeout:c}; was {task.Timeout:c}."));
        }

        ValidateBudgets(errors, task.Budgets);
        if (task.PlaybookPath is { } playbook && (string.IsNullOrWhiteSpace(playbook) || playbook.Contains('\0', StringComparison.Ordinal)))
        {
            errors.Add(new("playbookPath", "must be a path when given."));
        }

        foreach (var key in task.Metadata.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Any(char.IsControl))
            {
                errors.Add(new("metadata", $"key '{Printable(key)}' must be non-blank and printable."));
            }
        }

        return errors;
    }

    /// <summary>Throws a <see cref="TaskValidationException"/> listing every problem of <paramref name="task"/>.</summary>
    /// <param name="task">The task to check.</param>
    /// <exception cref="TaskValidationException">The task has at least one problem.</exception>
    public static void ThrowIfInvalid(TaskContext task)
    {
        var errors = Validate(task);
        if (errors.Count > 0)
        {
            throw new TaskValidationException(errors);
        }
    }

    private static void Identifier(List<TaskValidationError> errors, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "is required."));
        }
        else if (value.Length > MaxIdentifierLength)
        {
            errors.Add(new(field, $"must be at most {MaxIdentifierLength} characters."));
        }
        else if (!IdentifierPattern().IsMatch(value) || value.Contains("..", StringComparison.Ordinal))
        {
            errors.Add(new(field, $"'{Printable(value)}' may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit."));
        }
    }

    /// <summary>The branch a task starts from and its commit come together; the branch is a branch name, the commit a commit id.</summary>
    private static void ValidateBudgets(List<TaskValidationError> errors, TaskBudgets? budgets)
    {
        foreach (var (scope, limits) in new[] { ("attempt", budgets?.Attempt), ("task", budgets?.Task) })
        {
            foreach (var (measure, problem) in limits?.Problems() ?? [])
            {
                errors.Add(new($"budgets.{scope}.{JsonNamingPolicy.CamelCase.ConvertName(measure.ToString())}", problem));
            }
        }
    }

    private static void ValidateBase(List<TaskValidationError> errors, TaskContext task)
    {
        if ((task.BaseBranch is null) != (task.BaseCommit is null))
        {
            errors.Add(new(task.BaseBranch is null ? "baseBranch" : "baseCommit", "baseBranch and baseCommit are given together or not at all."));
        }

        if (task.BaseBranch is { } baseBranch && !GitRefName.IsValidBranchName(baseBranch))
        {
            errors.Add(new("baseBranch", $"'{Printable(baseBranch)}' is not a valid git branch name."));
        }

        if (task.BaseCommit is { } baseCommit && !CommitIdPattern().IsMatch(baseCommit))
        {
            errors.Add(new("baseCommit", $"'{Printable(baseCommit)}' is not a commit id (7 to 64 hexadecimal digits)."));
        }
    }

    private static void NoBlankEntries(List<TaskValidationError> errors, string field, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                errors.Add(new($"{field}[{i}]", "must not be blank."));
            }
        }
    }

    private static string Printable(string value) =>
        new(value.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray());

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[0-9a-fA-F]{7,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitIdPattern();
}
