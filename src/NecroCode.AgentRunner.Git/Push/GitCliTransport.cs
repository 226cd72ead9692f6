namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Fetch and push through the <c>git</c> executable. The CLI speaks every transport (local paths,
/// <c>file://</c>, SSH, smart HTTP) with pack negotiation at git's own speed, and its error output
/// is what <see cref="GitErrors"/> classifies. Prompts are disabled, so a missing credential fails
/// fast as an authentication error instead of hanging.
/// </summary>
internal sealed class GitCliTransport(GitCli git, TimeSpan timeout) : IGitTransport
{
    /// <inheritdoc />
    public Task FetchAsync(string path, string remote, string refSpec, CancellationToken cancellationToken) =>
        RunAsync(path, remote, ["fetch", "--no-tags", "--no-recurse-submodules", "--quiet", remote, refSpec], "fetch", cancellationToken);

    /// <inheritdoc />
    public Task PushAsync(string path, string remote, string refSpec, CancellationToken cancellationToken) =>
        RunAsync(path, remote, ["push", "--porcelain", "--no-verify", "--no-follow-tags", "--recurse-submodules=no", remote, refSpec], "push", cancellationToken);

    private async Task RunAsync(string path, string remote, string[] arguments, string operation, CancellationToken cancellationToken)
    {
        GitResult result;
        try
        {
            result = await git.RunAsync(path, arguments, null, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex) when (ex.IsTransient)
        {
            throw new GitTransportException(ex.Message, GitErrorKind.Transient, ex);
        }

        if (result.Succeeded)
        {
            return;
        }

        var output = (result.StandardError + "\n" + result.StandardOutput).Trim();
        var kind = GitErrors.Classify(output);
        var message = GitErrors.Mask(string.Join(' ', output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("To ", StringComparison.Ordinal) && line != "Done")));
        throw new GitTransportException($"git {operation} to '{remote}' failed (exit {result.ExitCode}, {Describe(kind)}): {message}", kind);
    }

    private static string Describe(GitErrorKind kind) => kind switch
    {
        GitErrorKind.Authentication => "authentication failed",
        GitErrorKind.NonFastForward => "rejected: the remote branch has commits the local branch does not have",
        GitErrorKind.Transient => "transient",
        _ => "error",
    };
}
