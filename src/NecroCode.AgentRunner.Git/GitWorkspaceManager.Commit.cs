using LibGit2Sharp;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="WorkspaceException">Nothing to commit, HEAD is detached or on a protected branch, or git failed.</exception>
    public async Task<string> CommitAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            throw new WorkspaceException($"Cannot commit in '{request.Path}': the commit message is empty.");
        }

        OpenGitDirectory(request.Path);
        string branch;
        using (var repository = new Repository(request.Path))
        {
            if (repository.Info.IsHeadDetached || repository.Info.IsHeadUnborn)
            {
                throw new WorkspaceException($"Cannot commit in '{request.Path}': HEAD is not on a task branch.");
            }

            branch = repository.Head.FriendlyName;
        }

        EnsureTaskBranchName(branch);

        // git add is faster than libgit2 staging on large trees (stat cache, untracked cache, parallel checks).
        await _git.RunCheckedAsync(request.Path, ["add", "--all"], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        using (var repository = new Repository(request.Path))
        {
            var signature = new Signature(_options.AuthorName, _options.AuthorEmail, _time.GetUtcNow());
            try
            {
                var commit = repository.Commit(
                    request.Message.TrimEnd() + "\n", signature, signature,
                    new CommitOptions { AllowEmptyCommit = false, PrettifyMessage = false });
                Log.Committed(_logger, request.Path, branch, commit.Sha);
                return commit.Sha;
            }
            catch (EmptyCommitException ex)
            {
                throw new WorkspaceException($"Nothing to commit in '{request.Path}': the working tree matches HEAD.", ex);
            }
        }
    }
}
