namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// With <see cref="GitOptions.CloneUrl"/> set, makes an empty slot folder a repository whose remote is that URL; the
    /// preparation then fetches the main branch into it as into any slot. A slot with anything in it is left alone. A slot
    /// folder another user owns is added to <c>safe.directory</c> of the runner's global git configuration.
    /// </summary>
    private async Task StartEmptySlotAsync(string path, CancellationToken cancellationToken)
    {
        if (_options.CloneUrl is not { Length: > 0 } url || !Directory.Exists(path) || Directory.EnumerateFileSystemEntries(path).Any())
        {
            return;
        }

        Log.StartingEmptySlot(_logger, path, GitErrors.Mask(url));
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
