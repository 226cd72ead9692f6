using LibGit2Sharp;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// Where a new task branch starts: the remote's main branch, or — for a task stacked on another task's branch
    /// (<see cref="WorkspaceRequest.BaseBranch"/>) — that branch's commit, fetched from the remote, unless the commit is
    /// already in the main branch (the branch it was on has been merged), when the main branch has all of it.
    /// </summary>
    /// <returns>The commit to check the task branch out at, and the commit its diff is taken against (the same).</returns>
    private async Task<(string Commit, string Base)> ResolveStartAsync(Repository repository, WorkspaceRequest request, SlotRemote remote, string remoteMain, CancellationToken cancellationToken)
    {
        if (request.BaseBranch is not { } baseBranch || request.BaseCommit is not { } wanted)
        {
            return (remoteMain, remoteMain);
        }

        EnsureBaseBranchName(baseBranch, request.Branch);
        var trackingRef = $"refs/remotes/{_runner.Remote}/{baseBranch}";
        var endpoint = remote.Fetch(request.Secrets);
        try
        {
            await RetryAsync(
                PrepareStep, "fetch", _options.FetchAttempts, request.Events,
                ct => _transport.FetchAsync(request.Path, endpoint, $"+refs/heads/{baseBranch}:{trackingRef}", ct), cancellationToken).ConfigureAwait(false);
        }
        catch (GitTransportException ex) when (ex.Message.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase))
        {
            throw new WorkspaceException($"The task '{request.Task}' starts from the branch '{baseBranch}', which the remote '{_runner.Remote}' does not have (was it pushed, or deleted after a merge?).", ex);
        }

        var tip = repository.Refs[trackingRef]?.ResolveToDirectReference()?.Target as Commit
            ?? throw new WorkspaceException($"The branch '{baseBranch}' of the remote '{_runner.Remote}' could not be read after the fetch.");
        var commit = (repository.Lookup(wanted.Trim()) as Commit)
            ?? throw new WorkspaceException($"The task '{request.Task}' starts from commit {wanted} of '{baseBranch}', which the remote's branch does not hold (its tip is {Short(tip.Sha)}).");
        var main = repository.Lookup<Commit>(remoteMain);
        if (IsAncestor(repository, commit, main))
        {
            return (remoteMain, remoteMain);
        }

        if (!IsAncestor(repository, commit, tip))
        {
            throw new WorkspaceException($"The task '{request.Task}' starts from commit {Short(commit.Sha)} of '{baseBranch}', which that branch no longer holds (its tip is {Short(tip.Sha)}): the branch was rewritten. Run the task it builds on again.");
        }

        Log.StackedOn(_logger, request.Path, request.Branch, baseBranch, commit.Sha);
        return (commit.Sha, commit.Sha);
    }

    private static void EnsureBaseBranchName(string baseBranch, string taskBranch)
    {
        if (!GitRefName.IsValidBranchName(baseBranch) || string.Equals(baseBranch, taskBranch, StringComparison.Ordinal))
        {
            throw new WorkspaceException($"'{baseBranch}' cannot be the branch the task branch '{taskBranch}' starts from.");
        }
    }

    private static bool IsAncestor(Repository repository, Commit commit, Commit of) =>
        commit.Sha == of.Sha || repository.ObjectDatabase.FindMergeBase(commit, of)?.Sha == commit.Sha;
}
