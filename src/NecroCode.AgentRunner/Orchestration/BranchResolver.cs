using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>The branch a task's run creates and pushes: the task's own, or the branch template's, checked by the workspace manager.</summary>
internal sealed class BranchResolver(IWorkspaceManager workspace, IOptions<AgentRunnerOptions> options)
{
    /// <summary>Resolves the branch of <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The branch name.</returns>
    /// <exception cref="TaskValidationException">The branch name is not valid, or the workspace manager refuses it as a task branch.</exception>
    public string Resolve(TaskContext task)
    {
        var branch = !string.IsNullOrWhiteSpace(task.BranchName)
            ? task.BranchName
            : options.Value.BranchTemplate
                .Replace("{spec}", GitRefName.Sanitize(task.SpecName), StringComparison.Ordinal)
                .Replace("{task-id}", GitRefName.Sanitize(task.TaskId), StringComparison.Ordinal);
        if (!GitRefName.IsValidBranchName(branch))
        {
            throw new TaskValidationException([new TaskValidationError("branchName", $"the branch template gives '{branch}', which is not a valid git branch name.")]);
        }

        if (workspace.CheckTaskBranch(branch) is { } refused)
        {
            throw new TaskValidationException([new TaskValidationError("branchName", $"'{branch}' cannot be a task branch: {refused}")]);
        }

        return branch;
    }
}
