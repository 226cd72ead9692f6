namespace NecroCode.AgentRunner.Git.Tests;

/// <summary>
/// Wraps the real CLI transport: the first <c>failures</c> calls of the chosen operation ("fetch" or
/// "push") fail with the given kind and message; every call is counted.
/// </summary>
internal sealed class ScriptedTransport(
    int failures = 0,
    GitErrorKind kind = GitErrorKind.Transient,
    string message = "fatal: the remote end hung up unexpectedly",
    string operation = "push") : IGitTransport
{
    private readonly GitCliTransport _inner = new(new GitCli("git"), TimeSpan.FromMinutes(2));
    private int _failuresLeft = failures;

    public int Fetches { get; private set; }

    public int Pushes { get; private set; }

    public Task FetchAsync(string path, GitEndpoint endpoint, string refSpec, CancellationToken cancellationToken)
    {
        Fetches++;
        return Fail("fetch") ?? _inner.FetchAsync(path, endpoint, refSpec, cancellationToken);
    }

    public Task PushAsync(string path, GitEndpoint endpoint, string refSpec, string? leaseCommit, CancellationToken cancellationToken)
    {
        Pushes++;
        return Fail("push") ?? _inner.PushAsync(path, endpoint, refSpec, leaseCommit, cancellationToken);
    }

    public Task<(string? DefaultBranch, IReadOnlyList<string> Branches)> ListBranchesAsync(string path, GitEndpoint endpoint, CancellationToken cancellationToken) =>
        _inner.ListBranchesAsync(path, endpoint, cancellationToken);

    private Task? Fail(string called)
    {
        if (called != operation || _failuresLeft <= 0)
        {
            return null;
        }

        _failuresLeft--;
        return Task.FromException(new GitTransportException(message, kind));
    }
}
