using LibGit2Sharp;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// Decides whether a rejected push may replace the remote task branch: only when every commit the
    /// replacement would drop was authored and committed by the runner's identity, i.e. by an earlier run
    /// of this task (the branch name is the task's own). Then the push is leased on the inspected commit, so
    /// anything pushed in between is never overwritten.
    /// </summary>
    private async Task<(string? LeaseCommit, string Reason)> DecideReplacementAsync(PushRequest request, GitEndpoint endpoint, string commitId, CancellationToken cancellationToken)
    {
        var trackingRef = $"refs/remotes/{_runner.Remote}/{request.Branch}";
        try
        {
            await RetryAsync(
                PushStep, "fetch", _options.FetchAttempts, request.Events,
                ct => _transport.FetchAsync(request.Path, endpoint, $"+refs/heads/{request.Branch}:{trackingRef}", ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex)
        {
            return (null, $"the remote branch could not be inspected: {Mask(ex.Message)}");
        }

        using var repository = new Repository(request.Path);
        var remoteTip = repository.Refs[trackingRef]?.ResolveToDirectReference()?.Target as Commit;
        if (remoteTip is null)
        {
            return (null, "the remote branch could not be inspected (it vanished while fetching).");
        }

        var excluded = new List<object> { repository.Lookup<Commit>(commitId) };
        if (repository.Refs[RemoteMainRef] is { } remoteMain)
        {
            excluded.Add(remoteMain);
        }

        var dropped = repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = remoteTip, ExcludeReachableFrom = excluded }).ToList();
        var foreign = dropped.FirstOrDefault(c => !IsRunnerIdentity(c.Author) || !IsRunnerIdentity(c.Committer));
        if (foreign is not null)
        {
            var reason = $"'{request.Branch}' on '{_runner.Remote}' holds commit {Short(foreign.Sha)} by '{foreign.Author.Name} <{foreign.Author.Email}>', " +
                $"not by the runner ('{_options.AuthorName} <{_options.AuthorEmail}>'); it is not replaced. Merge or delete the remote branch, then run the task again.";
            return (null, reason);
        }

        var message = $"Re-run: the remote branch '{request.Branch}' (at {Short(remoteTip.Sha)}, {dropped.Count} commit(s) by an earlier run of this task) is replaced with {Short(commitId)} (force-with-lease).";
        Log.ReplacingRemoteBranch(_logger, request.Branch, remoteTip.Sha, dropped.Count, commitId);
        request.Events.Publish(new RunWarning(PushStep, message));
        return (remoteTip.Sha, message);
    }

    private bool IsRunnerIdentity(Signature signature) =>
        string.Equals(signature.Email, _options.AuthorEmail, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(signature.Name, _options.AuthorName, StringComparison.Ordinal);
}
