using System.Globalization;
using System.Text;
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

        var gitDirectory = OpenGitDirectory(request.Path);
        var branch = await FoldAgentCommitsAsync(request, cancellationToken).ConfigureAwait(false);

        // git add and git commit: the stat and untracked caches make them faster than libgit2's staging and
        // tree writing on large trees (measured: docs/performance.md). Identity and time go in as variables. A commit
        // of the diff just taken installs the index that diff was staged into (the same content, one process less).
        var staged = _staged.TryRemove(SlotRun.KeyOf(request.Path), out var kept) && request.Diff is { } diff && ReferenceEquals(kept.Diff, diff) && kept.TryInstall(gitDirectory);
        if (!staged)
        {
            await _git.RunCheckedAsync(request.Path, ["add", "--all"], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var date = $"{now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} +0000";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_AUTHOR_NAME"] = _options.AuthorName,
            ["GIT_AUTHOR_EMAIL"] = _options.AuthorEmail,
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = _options.AuthorName,
            ["GIT_COMMITTER_EMAIL"] = _options.AuthorEmail,
            ["GIT_COMMITTER_DATE"] = date,
        };
        var messageFile = Path.Combine(Path.GetTempPath(), $"necrocode-commit-{Guid.NewGuid():N}.txt");
        try
        {
            await File.WriteAllTextAsync(messageFile, request.Message.TrimEnd() + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            var result = await _git.RunAsync(
                request.Path, ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "--cleanup=verbatim", "--file", messageFile],
                environment, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                var output = (result.StandardOutput + "\n" + result.StandardError).Trim();
                throw output.Contains("nothing to commit", StringComparison.OrdinalIgnoreCase) || output.Contains("no changes added", StringComparison.OrdinalIgnoreCase)
                    ? new WorkspaceException($"Nothing to commit in '{request.Path}': the working tree matches HEAD.")
                    : new WorkspaceException($"git commit failed in '{request.Path}' (exit {result.ExitCode}): {Mask(output)}");
            }
        }
        finally
        {
            File.Delete(messageFile);
        }

        string sha;
        using (var committed = new Repository(request.Path))
        {
            sha = committed.Head.Tip.Sha;
        }

        var key = SlotRun.KeyOf(request.Path);
        if (_runs.TryGetValue(key, out var run))
        {
            _runs[key] = run with { CommitId = sha };
        }

        Log.Committed(_logger, request.Path, branch, sha);
        return sha;
    }
}
