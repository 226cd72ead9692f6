using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// The built-in prompt: title, description, numbered acceptance criteria, what the task's
/// dependencies produced, the repository's guidance files (<see cref="PromptOptions.GuidanceFiles"/>), the commands
/// that will judge the work, the failure to fix on a fix attempt, and the rules of the workspace — or the same
/// parts laid out by a template (<see cref="PromptOptions.Template"/>, <see cref="PromptOptions.TemplateFile"/>).
/// Deterministic: the same request and the same workspace files always give the same text.
/// </summary>
public sealed class DefaultPromptBuilder : IPromptBuilder
{
    private const string Rules =
        "- Work only inside the current directory (the repository); do not touch files outside it.\n" +
        "- Do not commit, push, or create or switch branches: the runner does that.\n" +
        "- Keep the change focused on this task.\n";

    private readonly PromptOptions _options;
    private readonly PromptTemplate? _template;

    /// <summary>Creates the builder with the default settings (built-in layout, default guidance files).</summary>
    public DefaultPromptBuilder()
        : this(Options.Create(new PromptOptions()))
    {
    }

    /// <summary>Creates the builder; a template file is read here, once.</summary>
    /// <param name="options">The prompt settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="FormatException">The template uses an unknown placeholder.</exception>
    /// <exception cref="IOException">The template file cannot be read.</exception>
    public DefaultPromptBuilder(IOptions<PromptOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (_options.TemplateFile is { } file)
        {
            _template = PromptTemplate.Parse(File.ReadAllText(file, Encoding.UTF8), file);
        }
        else if (_options.Template is { } template)
        {
            _template = PromptTemplate.Parse(template, "PromptOptions.Template");
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public string Build(PromptRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var guidance = RepositoryGuidance.Render(request.WorkspacePath, _options);
        return _template is null ? BuildDefault(request, guidance) : _template.Render(Values(request, guidance));
    }

    private static Dictionary<string, string> Values(PromptRequest request, string guidance)
    {
        var task = request.Task;
        var culture = CultureInfo.InvariantCulture;
        var criteria = new StringBuilder();
        for (var i = 0; i < task.AcceptanceCriteria.Count; i++)
        {
            criteria.Append(culture, $"{i + 1}. {task.AcceptanceCriteria[i].Trim()}").Append('\n');
        }

        var dependencies = new StringBuilder();
        AppendDependencies(dependencies, task.Dependencies);
        var fix = new StringBuilder();
        AppendFixRequest(fix, request);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["task-id"] = task.TaskId,
            ["spec"] = task.SpecName,
            ["title"] = task.Title,
            ["skill"] = task.RequiredSkill ?? "",
            ["description"] = task.Description?.Trim() ?? "",
            ["workspace"] = request.WorkspacePath,
            ["attempt"] = request.Attempt.ToString(culture),
            ["acceptance-criteria"] = criteria.ToString(),
            ["dependencies"] = dependencies.ToString(),
            ["test-commands"] = string.Concat(request.TestCommands.Select(c => $"- `{c}`\n")),
            ["guidance"] = guidance,
            ["previous-failure"] = request.Attempt > 1 ? request.PreviousFailure?.TrimEnd() ?? "" : "",
            ["fix-request"] = fix.ToString(),
            ["rules"] = Rules,
        };
    }

    private static string BuildDefault(PromptRequest request, string guidance)
    {
        var task = request.Task;
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"# Task {task.TaskId}: {task.Title}").AppendLine();
        text.Append(culture, $"Spec: {task.SpecName}").AppendLine();
        if (!string.IsNullOrWhiteSpace(task.RequiredSkill))
        {
            text.Append(culture, $"Skill: {task.RequiredSkill}").AppendLine();
        }

        if (!string.IsNullOrWhiteSpace(task.Description))
        {
            text.AppendLine().AppendLine("## Description").AppendLine(task.Description.Trim());
        }

        if (task.AcceptanceCriteria.Count > 0)
        {
            text.AppendLine().AppendLine("## Acceptance criteria");
            for (var i = 0; i < task.AcceptanceCriteria.Count; i++)
            {
                text.Append(culture, $"{i + 1}. {task.AcceptanceCriteria[i].Trim()}").AppendLine();
            }
        }

        if (task.Dependencies.Count > 0)
        {
            text.AppendLine().AppendLine("## Builds on");
            AppendDependencies(text, task.Dependencies);
        }

        if (guidance.Length > 0)
        {
            text.AppendLine().AppendLine("## Repository guidance")
                .AppendLine("The repository's own instructions for work on it:").AppendLine()
                .Append(guidance);
        }

        if (request.TestCommands.Count > 0)
        {
            text.AppendLine().AppendLine("## How the work is checked").AppendLine("These commands must pass in the repository root:");
            foreach (var command in request.TestCommands)
            {
                text.Append(culture, $"- `{command}`").AppendLine();
            }
        }

        if (request.Attempt > 1 && !string.IsNullOrWhiteSpace(request.PreviousFailure))
        {
            text.AppendLine();
            AppendFixRequest(text, request);
        }

        text.AppendLine().AppendLine("## Rules").Append(Rules);
        return text.ToString();
    }

    private static void AppendDependencies(StringBuilder text, IReadOnlyList<TaskDependency> dependencies)
    {
        var culture = CultureInfo.InvariantCulture;
        foreach (var dependency in dependencies)
        {
            text.Append(culture, $"- Task {dependency.TaskId}");
            if (!string.IsNullOrWhiteSpace(dependency.Title))
            {
                text.Append(culture, $": {dependency.Title}");
            }

            if (!string.IsNullOrWhiteSpace(dependency.Branch))
            {
                text.Append(culture, $" (branch {dependency.Branch}");
                text.Append(string.IsNullOrWhiteSpace(dependency.CommitId) ? ")" : $", commit {dependency.CommitId})");
            }
            else if (!string.IsNullOrWhiteSpace(dependency.CommitId))
            {
                text.Append(culture, $" (commit {dependency.CommitId})");
            }

            text.Append('\n');
            if (!string.IsNullOrWhiteSpace(dependency.Summary))
            {
                text.Append(culture, $"  {dependency.Summary.Trim()}").Append('\n');
            }
        }
    }

    private static void AppendFixRequest(StringBuilder text, PromptRequest request)
    {
        if (request.Attempt <= 1 || string.IsNullOrWhiteSpace(request.PreviousFailure))
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"## Attempt {request.Attempt}: the tests failed").Append('\n')
            .Append("Fix the implementation so that the checks pass. Their output was:\n")
            .Append("```\n").Append(request.PreviousFailure.TrimEnd()).Append("\n```\n");
    }
}
