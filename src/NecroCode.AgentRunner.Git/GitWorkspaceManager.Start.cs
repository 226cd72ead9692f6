namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// With <see cref="GitOptions.CloneUrl"/> set, makes an empty slot folder a repository whose remote is that URL; the
    /// preparation then fetches the main branch into it as into any slot. A slot with anything in it is left alone.
    /// </summary>
    private async Task StartEmptySlotAsync(string path, CancellationToken cancellationToken)
    {
        if (_options.CloneUrl is not { Length: > 0 } url || !Directory.Exists(path) || Directory.EnumerateFileSystemEntries(path).Any())
        {
            return;
        }

        Log.StartingEmptySlot(_logger, path, GitErrors.Mask(url));
        await _git.RunCheckedAsync(path, ["init", "--quiet", "--initial-branch", _runner.MainBranch], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        await _git.RunCheckedAsync(path, ["remote", "add", "--", _runner.Remote, url], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }
}
