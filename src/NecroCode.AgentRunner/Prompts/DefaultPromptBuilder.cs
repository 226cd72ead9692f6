using System.Globalization;
using System.Text;

namespace NecroCode.AgentRunner.Prompts;

/// <summary>
/// The built-in prompt (R3.1): title, description, numbered acceptance criteria, what the task's
/// dependencies produced, the commands that will judge the work, and the rules of the workspace.
/// Deterministic: the same request always gives the same text.
/// </summary>
public sealed class DefaultPromptBuilder : IPromptBuilder
{
    /// <inheritdoc />
    public string Build(PromptRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
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
            foreach (var dependency in task.Dependencies)
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

                text.AppendLine();
                if (!string.IsNullOrWhiteSpace(dependency.Summary))
                {
                    text.Append(culture, $"  {dependency.Summary.Trim()}").AppendLine();
                }
            }
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
            text.AppendLine().Append(culture, $"## Attempt {request.Attempt}: the tests failed").AppendLine()
                .AppendLine("Fix the implementation so that the checks pass. Their output was:")
                .AppendLine("```").AppendLine(request.PreviousFailure.TrimEnd()).AppendLine("```");
        }

        text.AppendLine().AppendLine("## Rules")
            .AppendLine("- Work only inside the current directory (the repository); do not touch files outside it.")
            .AppendLine("- Do not commit, push, or create or switch branches: the runner does that.")
            .AppendLine("- Keep the change focused on this task.");
        return text.ToString();
    }
}
