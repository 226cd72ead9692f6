using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// The git <see cref="IRemoteBranchReader"/>: <c>git ls-remote</c> of one branch, sent to the URL the slot's
/// configuration gives the runner's remote (<c>pushurl</c> when set, else <c>url</c>; never the remote's name),
/// authenticated exactly as the workspace manager's fetch and push are: the HTTPS token of the run's secrets (else
/// <see cref="GitOptions.TokenFile"/>/<see cref="GitOptions.TokenVariable"/>) as an <c>Authorization</c> header
/// scoped to that URL in the git child's environment only, prompts and credential helpers off, the host's git
/// variables removed, <see cref="GitOptions.NetworkTimeout"/> per attempt and <see cref="GitOptions.FetchAttempts"/>
/// attempts for transient failures.
/// </summary>
public sealed partial class GitRemoteBranchReader : IRemoteBranchReader
{
    private readonly AgentRunnerOptions _runner;
    private readonly GitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GitCliTransport _transport;

    /// <summary>Creates the reader.</summary>
    /// <param name="runnerOptions">The runner's options: the remote.</param>
    /// <param name="gitOptions">The git options: executable, token, timeouts, attempts.</param>
    /// <param name="timeProvider">The clock of the retry delays.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <param name="secretMasker">
    /// The runner's masker: the token and its encodings are added to it before git sees them, and every git error
    /// is masked with it. A private <see cref="Security.SecretMasker"/> when null.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public GitRemoteBranchReader(
        IOptions<AgentRunnerOptions> runnerOptions,
        IOptions<GitOptions> gitOptions,
        TimeProvider timeProvider,
        ILogger<GitRemoteBranchReader>? logger = null,
        ISecretMasker? secretMasker = null)
    {
        ArgumentNullException.ThrowIfNull(runnerOptions);
        ArgumentNullException.ThrowIfNull(gitOptions);
        _runner = runnerOptions.Value;
        _options = gitOptions.Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var credentials = new GitHttpCredentials(_options, secretMasker ?? new Security.SecretMasker());
        _transport = new GitCliTransport(new GitCli(_options.GitExecutable), _options.NetworkTimeout, credentials);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="slotPath"/> is empty or <paramref name="branch"/> is not a valid branch name.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is null.</exception>
    /// <exception cref="RemoteAuthenticationException">The remote refused the token, or there was none to give.</exception>
    /// <exception cref="WorkspaceException">The slot or its remote is missing, or the remote could not be asked.</exception>
    public async Task<string?> ReadBranchAsync(string slotPath, string branch, IRunSecrets secrets, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(slotPath);
        ArgumentNullException.ThrowIfNull(secrets);
        if (branch is null || !GitRefName.IsValidBranchName(branch))
        {
            throw new ArgumentException($"'{branch}' is not a valid branch name.", nameof(branch));
        }

        var endpoint = ReadRemote(slotPath).Push(secrets);
        try
        {
            var commit = await Pipeline(branch).ExecuteAsync(
                async ct => await _transport.ReadBranchAsync(slotPath, endpoint, branch, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            Log.BranchRead(_logger, branch, endpoint.Remote, commit ?? "(absent)");
            return commit;
        }
        catch (GitTransportException ex) when (ex.Kind == GitErrorKind.Authentication)
        {
            Log.AuthenticationFailed(_logger, endpoint.Remote, branch, ex.Message);
            throw new RemoteAuthenticationException(endpoint.Remote, ex.Message, ex);
        }
    }

    /// <summary>The remote's URLs from the slot's configuration.</summary>
    private SlotRemote ReadRemote(string slotPath)
    {
        if (!Directory.Exists(slotPath))
        {
            throw new WorkspaceException($"The workspace '{slotPath}' does not exist.");
        }

        try
        {
            using var repository = new Repository(slotPath);
            return SlotRemote.Read(repository, _runner.Remote, slotPath);
        }
        catch (RepositoryNotFoundException ex)
        {
            throw new WorkspaceException($"The workspace '{slotPath}' is not a git repository.", ex);
        }
    }

    /// <summary>Retries transient failures (exponential backoff with jitter), as a fetch does.</summary>
    private ResiliencePipeline Pipeline(string branch)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (_options.FetchAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.FetchAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder().Handle<WorkspaceException>(ex => ex.IsTransient),
                OnRetry = args =>
                {
                    Log.RetryScheduled(_logger, branch, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "unknown error");
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
