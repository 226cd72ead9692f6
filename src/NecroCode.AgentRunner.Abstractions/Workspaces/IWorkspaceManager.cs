namespace NecroCode.AgentRunner;

/// <summary>Git operations on a workspace slot: prepare, diff, commit, push, roll back.</summary>
public interface IWorkspaceManager
{
    /// <summary>
    /// Brings the slot to a clean state on origin's main branch, whatever an earlier run left,
    /// then creates and checks out the task branch.
    /// </summary>
    /// <param name="request">The slot and branch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The prepared workspace.</returns>
    /// <exception cref="WorkspaceException">The slot could not be prepared.</exception>
    Task<PreparedWorkspace> PrepareAsync(WorkspaceRequest request, CancellationToken cancellationToken);

    /// <summary>Captures the working tree's changes (tracked and untracked, respecting .gitignore) against <paramref name="baseCommit"/>.</summary>
    /// <param name="path">The working directory.</param>
    /// <param name="baseCommit">The commit to diff against.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The diff.</returns>
    Task<WorkspaceDiff> GetDiffAsync(string path, string baseCommit, CancellationToken cancellationToken);

    /// <summary>Stages every change (respecting .gitignore) and commits it.</summary>
    /// <param name="request">The working directory and message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new commit's id.</returns>
    Task<string> CommitAsync(CommitRequest request, CancellationToken cancellationToken);

    /// <summary>Pushes the task branch to origin, retrying transient failures.</summary>
    /// <param name="request">The working directory and branch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result, with the number of attempts; a refused or failed push is a result, not an exception.</returns>
    /// <exception cref="PushRefusedException">The branch is protected or not the task's own.</exception>
    Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken);

    /// <summary>Discards every change in the working directory and returns it to origin's main branch.</summary>
    /// <param name="path">The working directory.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the slot is clean.</returns>
    Task RollbackAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Says why <paramref name="branch"/> can never be a task branch of this workspace manager (the main branch, a
    /// protected branch …), or null when it can. Hosts and the orchestrator ask it for every task before any run
    /// starts, so such a task is refused as invalid with nothing touched. Reads nothing but settings.
    /// </summary>
    /// <param name="branch">The task's resolved branch name.</param>
    /// <returns>The reason, or null. By default null: every valid branch name may be a task branch.</returns>
    string? CheckTaskBranch(string branch) => null;
}
