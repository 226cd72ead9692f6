namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// Makes an empty or missing slot folder (a new slot of a pool that grows itself, a pod's empty volume) a repository
    /// whose remote is <see cref="GitOptions.Origin"/>; the preparation then fetches the main branch into it, with the
    /// run's own credentials, as into any slot. A slot with anything in it is left alone. A slot folder another user
    /// owns is added to <c>safe.directory</c> of the runner's global git configuration.
    /// </summary>
    /// <exception cref="WorkspaceException">The slot is empty or missing and no origin is set.</exception>
    private async Task StartEmptySlotAsync(string path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path) || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any()))
        {
            return;
        }

        if (_options.Origin is not { Length: > 0 } url)
        {
            throw new WorkspaceException(
                $"The workspace '{path}' {(Directory.Exists(path) ? "is empty and not a git repository" : "does not exist")}: set {GitOptions.SectionName}:{nameof(GitOptions.Origin)} to the repository's URL so that empty slots are initialised from it, or clone the repository into it.");
        }

        Log.StartingEmptySlot(_logger, path, GitErrors.Mask(url));
        Directory.CreateDirectory(path);
        await _git.RunCheckedAsync(path, ["init", "--quiet", "--initial-branch", _runner.MainBranch], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        var check = await _git.RunAsync(path, ["rev-parse", "--git-dir"], null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (!check.Succeeded && check.StandardError.Contains("dubious ownership", StringComparison.Ordinal))
        {
            // A volume the runner was given but does not own (a cluster's emptyDir belongs to root): this one folder is
            // declared safe in the runner's own global git configuration, which git and LibGit2Sharp both read.
            Log.TrustingSlot(_logger, path);
            await _git.RunCheckedAsync(path, ["config", "--global", "--add", "safe.directory", Path.GetFullPath(path)], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }

        await _git.RunCheckedAsync(path, ["remote", "add", "--", _runner.Remote, url], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }
}
