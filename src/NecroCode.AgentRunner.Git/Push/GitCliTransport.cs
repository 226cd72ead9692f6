namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Fetch and push through the <c>git</c> executable. The CLI speaks every transport (local paths,
/// <c>file://</c>, SSH, smart HTTP) with pack negotiation at git's own speed, and its error output
/// is what <see cref="GitErrors"/> classifies. Prompts are disabled, so a missing credential fails
/// fast as an authentication error instead of hanging. Git is always given the endpoint's URL, never a
/// remote's name (whose <c>pushurl</c> and proxy settings live in the slot's config). An HTTPS token, when
/// configured, reaches git only through the child process's environment, scoped to that URL
/// (<see cref="GitHttpCredentials"/>).
/// </summary>
internal sealed class GitCliTransport(GitCli git, TimeSpan timeout, GitHttpCredentials? credentials = null) : IGitTransport
{
    /// <inheritdoc />
    public Task FetchAsync(string path, GitEndpoint endpoint, string refSpec, CancellationToken cancellationToken) =>
        RunAsync(path, endpoint, ["fetch", "--no-tags", "--no-recurse-submodules", "--quiet", endpoint.Url, refSpec], "fetch", cancellationToken);

    /// <inheritdoc />
    public async Task<(string? DefaultBranch, IReadOnlyList<string> Branches)> ListBranchesAsync(string path, GitEndpoint endpoint, CancellationToken cancellationToken)
    {
        var result = await RunCommandAsync(path, endpoint, ["ls-remote", "--symref", "--", endpoint.Url, "HEAD", "refs/heads/*"], "ls-remote", cancellationToken).ConfigureAwait(false);
        string? head = null;
        var branches = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.TrimEnd('\r').Split('\t');
            if (parts.Length != 2)
            {
                continue;
            }

            if (parts[0].StartsWith("ref: refs/heads/", StringComparison.Ordinal) && parts[1] == "HEAD")
            {
                head = parts[0]["ref: refs/heads/".Length..];
            }
            else if (parts[1].StartsWith("refs/heads/", StringComparison.Ordinal))
            {
                branches.Add(parts[1]["refs/heads/".Length..]);
            }
        }

        return (head, [.. branches]);
    }

    /// <summary>
    /// Asks <paramref name="endpoint"/> which commit <c>refs/heads/<paramref name="branch"/></c> points to
    /// (<c>git ls-remote</c>, authenticated as a fetch is).
    /// </summary>
    /// <param name="path">The working directory.</param>
    /// <param name="endpoint">The URL and the secrets that authenticate it.</param>
    /// <param name="branch">The branch, a valid branch name.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The commit id, or null when the remote has no such branch.</returns>
    /// <exception cref="GitTransportException">The remote could not be asked; its kind tells whether to retry.</exception>
    public async Task<string?> ReadBranchAsync(string path, GitEndpoint endpoint, string branch, CancellationToken cancellationToken)
    {
        var reference = "refs/heads/" + branch;
        var result = await RunCommandAsync(path, endpoint, ["ls-remote", "--refs", "--", endpoint.Url, reference], "ls-remote", cancellationToken).ConfigureAwait(false);

        // The pattern matches at any trailing path component (refs/heads/x/refs/heads/b too): only the exact ref counts.
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length == 2 && parts[1].TrimEnd('\r') == reference)
            {
                return parts[0].Trim();
            }
        }

        return null;
    }

    /// <inheritdoc />
    public Task PushAsync(string path, GitEndpoint endpoint, string refSpec, string? leaseCommit, CancellationToken cancellationToken)
    {
        List<string> arguments = ["push", "--porcelain", "--no-verify", "--no-follow-tags", "--recurse-submodules=no"];
        if (leaseCommit is not null)
        {
            // Replace the remote branch only while it is still at the commit that was inspected.
            var destination = refSpec[(refSpec.IndexOf(':', StringComparison.Ordinal) + 1)..];
            arguments.Add($"--force-with-lease={destination}:{leaseCommit}");
        }

        arguments.Add(endpoint.Url);
        arguments.Add(refSpec);
        return RunAsync(path, endpoint, arguments, "push", cancellationToken);
    }

    private async Task RunAsync(string path, GitEndpoint endpoint, IReadOnlyList<string> arguments, string operation, CancellationToken cancellationToken) =>
        await RunCommandAsync(path, endpoint, arguments, operation, cancellationToken).ConfigureAwait(false);

    private async Task<GitResult> RunCommandAsync(string path, GitEndpoint endpoint, IReadOnlyList<string> arguments, string operation, CancellationToken cancellationToken)
    {
        var remote = endpoint.Remote;
        var environment = credentials?.GetEnvironment(endpoint.Url, endpoint.Secrets);
        GitResult result;
        try
        {
            result = await git.RunAsync(path, arguments, environment, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex) when (ex.IsTransient)
        {
            throw new GitTransportException(Mask(ex.Message), GitErrorKind.Transient, ex);
        }

        if (result.Succeeded)
        {
            return result;
        }

        var output = (result.StandardError + "\n" + result.StandardOutput).Trim();
        var kind = GitErrors.Classify(output);
        var message = Mask(string.Join(' ', output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("To ", StringComparison.Ordinal) && line != "Done")));
        throw new GitTransportException($"git {operation} {(operation == "push" ? "to" : "from")} '{remote}' failed (exit {result.ExitCode}, {Describe(kind)}): {message}", kind);
    }

    private string Mask(string text)
    {
        var masked = GitErrors.Mask(text);
        return credentials is null ? masked : credentials.Masker.Apply(masked);
    }

    private static string Describe(GitErrorKind kind) => kind switch
    {
        GitErrorKind.Authentication => "authentication failed: check the token (the run's secret GitOptions.TokenSecret, else GitOptions.TokenFile/TokenVariable) and its rights on the repository",
        GitErrorKind.NonFastForward => "rejected: the remote branch has commits the local branch does not have",
        GitErrorKind.Transient => "transient",
        _ => "error",
    };
}
