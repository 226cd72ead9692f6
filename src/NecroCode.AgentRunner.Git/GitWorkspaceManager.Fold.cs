using LibGit2Sharp;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// Brings HEAD back to the task branch at the base commit when the agent committed, moved HEAD or
    /// switched branches by itself, keeping the working tree and the index: the agent's commits end up in
    /// the runner's single commit (issue 8). Refs the agent created during the run are deleted.
    /// </summary>
    /// <returns>The branch to commit on.</returns>
    private async Task<string> FoldAgentCommitsAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        _runs.TryGetValue(SlotRun.KeyOf(request.Path), out var run);
        string? headBranch;
        string? headCommit;
        string? baseCommit = null;
        using (var repository = new Repository(request.Path))
        {
            headBranch = repository.Info.IsHeadDetached ? null : repository.Head.FriendlyName;
            headCommit = repository.Info.IsHeadUnborn ? null : repository.Head.Tip?.Sha;
            if (request.BaseCommit is { } requested)
            {
                baseCommit = (string.IsNullOrWhiteSpace(requested) ? null : repository.Lookup(requested.Trim()) as Commit)?.Sha
                    ?? throw new WorkspaceException($"Cannot commit in '{request.Path}': the base commit '{requested}' is not in the slot.");
            }
        }

        var branch = run?.Branch ?? headBranch
            ?? throw new WorkspaceException($"Cannot commit in '{request.Path}': HEAD is not on a task branch.");
        EnsureTaskBranchName(branch);
        if (headBranch == branch && (baseCommit is null || headCommit == baseCommit))
        {
            return branch;
        }

        if (baseCommit is null)
        {
            throw new WorkspaceException(
                $"Cannot commit in '{request.Path}': the agent left HEAD {(headBranch is null ? "detached" : $"on '{headBranch}'")}, not on the task branch '{branch}', and no base commit was given to fold its commits onto.");
        }

        int folded;
        using (var repository = new Repository(request.Path))
        {
            folded = headCommit is null ? 0 : repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = headCommit, ExcludeReachableFrom = baseCommit }).Count();
        }

        // A soft reset of the task branch: HEAD names the task branch again and the branch points at the base
        // commit; index and working tree (the agent's commits plus whatever it left uncommitted) stay as they are.
        if (headBranch != branch)
        {
            await _git.RunCheckedAsync(request.Path, ["symbolic-ref", "-m", "necrocode: back to the task branch", "HEAD", $"refs/heads/{branch}"], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }

        await _git.RunCheckedAsync(request.Path, ["reset", "--soft", "--quiet", baseCommit], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        Log.FoldedAgentCommits(_logger, request.Path, branch, folded, headBranch ?? "(detached)", headCommit ?? "(none)", baseCommit);
        if (run is not null)
        {
            DeleteRefsCreatedByAgent(request.Path, run);
        }

        return branch;
    }

    /// <summary>
    /// Deletes the refs (branches, tags, a stash …) that appeared in the slot after it was prepared, apart from
    /// the task branch, the main branch and remote-tracking refs: the agent made them, the runner never
    /// pushes them, and they would keep the agent's commits (a refused change among them) alive in the slot.
    /// </summary>
    private void DeleteRefsCreatedByAgent(string path, SlotRun run)
    {
        using var repository = new Repository(path);
        var created = repository.Refs
            .Where(r => !run.Refs.Contains(r.CanonicalName)
                && r.CanonicalName != $"refs/heads/{run.Branch}"
                && r.CanonicalName != $"refs/heads/{_runner.MainBranch}"
                && !r.CanonicalName.StartsWith("refs/remotes/", StringComparison.Ordinal))
            .Select(r => r.CanonicalName)
            .ToList();
        foreach (var name in created)
        {
            repository.Refs.Remove(name);
            Log.DeletedAgentRef(_logger, path, name);
        }
    }

    /// <summary>
    /// On rollback: deletes the refs the agent created and, when the runner made no commit in this run, points
    /// the task branch back where it was prepared, so no commit of a refused change stays reachable.
    /// </summary>
    private void UndoAgentRefs(string path, SlotRun run)
    {
        DeleteRefsCreatedByAgent(path, run);
        if (run.CommitId is not null)
        {
            return;
        }

        using var repository = new Repository(path);
        if (repository.Refs[$"refs/heads/{run.Branch}"] is { } taskBranch && taskBranch.ResolveToDirectReference()?.TargetIdentifier != run.CheckedOutAt)
        {
            repository.Refs.UpdateTarget(taskBranch, new ObjectId(run.CheckedOutAt), "necrocode: rollback drops the agent's commits");
            Log.DeletedAgentRef(_logger, path, $"{taskBranch.CanonicalName} (commits since {Short(run.CheckedOutAt)})");
        }
    }

    /// <summary>
    /// Removes every object no ref, reflog entry or index reaches (nothing of a refused change stays in
    /// the slot): expires reflog entries that point at unreachable commits, then prunes loose objects.
    /// </summary>
    private async Task PruneUnreachableAsync(string path, CancellationToken cancellationToken)
    {
        await _git.RunCheckedAsync(path, ["reflog", "expire", "--expire-unreachable=now", "--all"], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        await _git.RunCheckedAsync(path, ["prune", "--expire=now"], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }
}
