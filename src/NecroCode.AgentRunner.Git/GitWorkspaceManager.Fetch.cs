namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <summary>
    /// Fetches the remote's main branch, retrying transient failures. A remote without that branch is a
    /// configuration problem, not a broken slot: the error names the branches the remote has and its default one.
    /// </summary>
    private async Task FetchMainAsync(WorkspaceRequest request, SlotRemote remote, string refSpec, CancellationToken cancellationToken)
    {
        var endpoint = remote.Fetch(request.Secrets);
        try
        {
            await RetryAsync(
                PrepareStep, "fetch", _options.FetchAttempts, request.Events,
                ct => _transport.FetchAsync(request.Path, endpoint, refSpec, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (GitTransportException ex) when (ex.Message.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase))
        {
            throw new GitTransportException(await DescribeMissingMainAsync(request.Path, endpoint, cancellationToken).ConfigureAwait(false), GitErrorKind.Other, ex);
        }
    }

    private async Task<string> DescribeMissingMainAsync(string path, GitEndpoint endpoint, CancellationToken cancellationToken)
    {
        var missing = $"The remote '{_runner.Remote}' has no branch '{_runner.MainBranch}' (the main branch, NecroCode:Runner:MainBranch or --main-branch)";
        try
        {
            var (defaultBranch, branches) = await _transport.ListBranchesAsync(path, endpoint, cancellationToken).ConfigureAwait(false);
            var listed = branches.Count == 0 ? "it has no branches" : $"its branches: {string.Join(", ", branches.Take(20))}{(branches.Count > 20 ? $" and {branches.Count - 20} more" : "")}";
            var hint = defaultBranch ?? (branches.Count > 0 ? branches[0] : null);
            return hint is null
                ? $"{missing}; {listed}."
                : $"{missing}; {listed}{(defaultBranch is null ? "" : $" (default: {defaultBranch})")}. Set the main branch, e.g. --main-branch {hint}.";
        }
        catch (GitTransportException)
        {
            return missing + ".";
        }
    }
}
