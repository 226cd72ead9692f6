using LibGit2Sharp;
using Polly;
using Polly.Retry;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="PushRefusedException">
    /// The branch is the main branch, matches a protected pattern, is not a plain branch name, or is not
    /// the branch checked out in the workspace (another task's branch). Checked before any network access.
    /// </exception>
    /// <exception cref="WorkspaceException">The workspace is not a repository.</exception>
    public async Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _guard.EnsurePushable(request.Branch);
        OpenGitDirectory(request.Path);
        string commitId;
        using (var repository = new Repository(request.Path))
        {
            if (repository.Info.IsHeadDetached || repository.Head.FriendlyName != request.Branch)
            {
                throw new PushRefusedException(request.Branch, $"the workspace has '{(repository.Info.IsHeadDetached ? "a detached HEAD" : repository.Head.FriendlyName)}' checked out; only the task branch in the slot is pushed.");
            }

            commitId = repository.Head.Tip?.Sha ?? throw new PushRefusedException(request.Branch, "the branch has no commit.");
        }

        var refSpec = $"refs/heads/{request.Branch}:refs/heads/{request.Branch}";
        var attempts = 0;
        string? lastError = null;
        try
        {
            await RetryAsync(
                PushStep, "push", _options.PushAttempts, request.Events,
                async ct =>
                {
                    attempts++;
                    try
                    {
                        await _transport.PushAsync(request.Path, _runner.Remote, refSpec, ct).ConfigureAwait(false);
                    }
                    catch (WorkspaceException ex)
                    {
                        lastError = GitErrors.Mask(ex.Message);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspaceException ex)
        {
            Log.PushFailed(_logger, request.Branch, attempts, lastError ?? ex.Message);
            return new PushResult(false, _runner.Remote, request.Branch, null, attempts, lastError ?? GitErrors.Mask(ex.Message));
        }

        Log.Pushed(_logger, request.Branch, commitId, attempts);
        return new PushResult(true, _runner.Remote, request.Branch, commitId, attempts, lastError);
    }

    /// <summary>Runs <paramref name="operation"/>, retrying transient <see cref="WorkspaceException"/>s with exponential backoff and jitter (R8.1–8.2).</summary>
    private async Task RetryAsync(
        string step,
        string operationName,
        int attempts,
        IRunEventSink? events,
        Func<CancellationToken, Task> operation,
        CancellationToken cancellationToken)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (attempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder().Handle<WorkspaceException>(ex => ex.IsTransient),
                OnRetry = args =>
                {
                    var error = GitErrors.Mask(args.Outcome.Exception?.Message ?? "unknown error");
                    Log.RetryScheduled(_logger, operationName, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, error);
                    events?.Publish(new RetryScheduled(step, operationName, args.AttemptNumber + 1, args.RetryDelay, error));
                    return default;
                },
            });
        }

        var pipeline = builder.Build();
        await pipeline.ExecuteAsync(
            static async (state, ct) => await state(ct).ConfigureAwait(false),
            operation,
            cancellationToken).ConfigureAwait(false);
    }
}
