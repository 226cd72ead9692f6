namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Clears the index flags that make git look away from a file: <c>skip-worktree</c> (left by a sparse checkout or
/// <c>update-index --skip-worktree</c>) and <c>assume-unchanged</c>. Left in a slot, they hide the agent's edit of
/// such a file from status, diff and commit, and the run would end "changed nothing".
/// </summary>
internal static class IndexFlags
{
    private const int PathsPerCommand = 500;

    /// <summary>Lists the files that have either flag (read-only: it can run beside a status scan).</summary>
    /// <param name="git">Runs git.</param>
    /// <param name="path">The slot's working directory.</param>
    /// <param name="timeout">Longest one git command may run.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The flagged files.</returns>
    /// <exception cref="WorkspaceException">git cannot list the index.</exception>
    public static async Task<IReadOnlyList<string>> ListAsync(GitCli git, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // -v tags an assume-unchanged file in lower case, -t a skip-worktree one with S; -v -t together keep both.
        var listing = await git.RunCheckedAsync(path, ["ls-files", "-v", "-t", "-z"], timeout, cancellationToken).ConfigureAwait(false);
        return listing.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.Length > 2 && (char.IsLower(entry[0]) || entry[0] == 'S'))
            .Select(entry => entry[2..])
            .ToList();
    }

    /// <summary>Clears both flags on the files <see cref="ListAsync"/> found.</summary>
    /// <param name="git">Runs git.</param>
    /// <param name="path">The slot's working directory.</param>
    /// <param name="flagged">The flagged files.</param>
    /// <param name="timeout">Longest one git command may run.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>How many files had a flag.</returns>
    /// <exception cref="WorkspaceException">git cannot update the index.</exception>
    public static async Task<int> ClearAsync(GitCli git, string path, IReadOnlyList<string> flagged, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var chunk in flagged.Chunk(PathsPerCommand))
        {
            // One flag per command: given both, update-index applies only one of them.
            await git.RunCheckedAsync(path, ["update-index", "--no-skip-worktree", "--", .. chunk], timeout, cancellationToken).ConfigureAwait(false);
            await git.RunCheckedAsync(path, ["update-index", "--no-assume-unchanged", "--", .. chunk], timeout, cancellationToken).ConfigureAwait(false);
        }

        return flagged.Count;
    }
}
