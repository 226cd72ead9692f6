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
    /// the branch checked out in the workspace (another task's branch); or the slot was not prepared for it by this
    /// manager, or its git configuration changed since (a planted <c>pushurl</c>, <c>insteadOf</c>, proxy or include
    /// could redirect the push). Checked before any network access; the push goes to the URL recorded at preparation.
    /// </exception>
    /// <exception cref="WorkspaceException">The workspace is not a repository.</exception>
    public async Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _guard.EnsurePushable(request.Branch);
        var gitDirectory = OpenGitDirectory(request.Path);
        string commitId;
        using (var repository = new Repository(request.Path))
        {
            if (repository.Info.IsHeadDetached || repository.Head.FriendlyName != request.Branch)
            {
                throw new PushRefusedException(request.Branch, $"the workspace has '{(repository.Info.IsHeadDetached ? "a detached HEAD" : repository.Head.FriendlyName)}' checked out; only the task branch in the slot is pushed.");
            }

            commitId = repository.Head.Tip?.Sha ?? throw new PushRefusedException(request.Branch, "the branch has no commit.");
        }

        if (request.ExpectedCommit is { } expected && !string.Equals(expected, commitId, StringComparison.OrdinalIgnoreCase))
        {
            throw new PushRefusedException(request.Branch, $"the branch is at {commitId}, not at {expected}, the commit the runner made and checked; something committed after it, and only the checked commit is pushed.");
        }

        var run = await EnsureSlotUnchangedAsync(request, gitDirectory, cancellationToken).ConfigureAwait(false);
        var endpoint = run.Remote.Push(request.Secrets);
        var refSpec = $"refs/heads/{request.Branch}:refs/heads/{request.Branch}";
        var state = new PushState();
        try
        {
            try
            {
                await PushWithRetryAsync(request, endpoint, refSpec, leaseCommit: null, state, cancellationToken).ConfigureAwait(false);
            }
            catch (GitTransportException ex) when (ex.Kind == GitErrorKind.NonFastForward)
            {
                // R2.5: the remote already holds the task branch with commits this push would lose.
                var decision = await DecideReplacementAsync(request, endpoint, commitId, cancellationToken).ConfigureAwait(false);
                if (decision.LeaseCommit is null)
                {
                    Log.ReplaceRefused(_logger, request.Branch, decision.Reason);
                    state.LastError = Mask($"{state.LastError} Refused to replace the remote branch: {decision.Reason}");
                    throw;
                }

                await PushWithRetryAsync(request, endpoint, refSpec, decision.LeaseCommit, state, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WorkspaceException ex)
        {
            var error = state.LastError ?? Mask(ex.Message);
            Log.PushFailed(_logger, request.Branch, state.Attempts, error);
            return new PushResult(false, _runner.Remote, request.Branch, null, state.Attempts, error);
        }

        Log.Pushed(_logger, request.Branch, commitId, state.Attempts);
        return new PushResult(true, _runner.Remote, request.Branch, commitId, state.Attempts, state.LastError);
    }

    /// <summary>
    /// Refuses the push unless the slot is the one prepared, with the git configuration it had then (a changed
    /// <c>pushurl</c>, <c>insteadOf</c>, proxy or include could redirect the authenticated push); hooks added or
    /// changed since are put back as they were (the runner never runs them).
    /// </summary>
    private async Task<SlotRun> EnsureSlotUnchangedAsync(PushRequest request, string gitDirectory, CancellationToken cancellationToken)
    {
        if (!_runs.TryGetValue(SlotRun.KeyOf(request.Path), out var run) || run.Branch != request.Branch)
        {
            throw new PushRefusedException(request.Branch, $"the slot '{request.Path}' was not prepared for '{request.Branch}' by this workspace manager, so origin's URL and the slot's git configuration were not recorded before the agent ran. Prepare the slot first.");
        }

        if (!string.Equals(Path.TrimEndingDirectorySeparator(gitDirectory), Path.TrimEndingDirectorySeparator(run.Snapshot.GitDirectory), StringComparison.Ordinal))
        {
            throw new PushRefusedException(request.Branch, $"the slot's git directory is now '{gitDirectory}', not '{run.Snapshot.GitDirectory}' as when it was prepared.");
        }

        var changes = await run.Snapshot.FindConfigChangesAsync(_git, request.Path, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (changes.Count > 0)
        {
            throw new PushRefusedException(
                request.Branch,
                $"the git configuration of the slot changed after it was prepared ({string.Join("; ", changes.Take(5))}{(changes.Count > 5 ? $"; {changes.Count - 5} more" : "")}). " +
                $"Such a change could send the push and its credentials elsewhere; the runner pushes only to the URL recorded for '{run.Remote.Name}' with the configuration the slot had then. Rolling the slot back restores it.");
        }

        if (run.Snapshot.RestoreHooks() is { Count: > 0 } hooks)
        {
            Warn(request.Events, PushStep, $"The slot's hooks had changed since it was prepared ({string.Join(", ", hooks)}); they were restored (the runner never runs hooks).");
        }

        return run;
    }

    private Task PushWithRetryAsync(PushRequest request, GitEndpoint endpoint, string refSpec, string? leaseCommit, PushState state, CancellationToken cancellationToken) =>
        RetryAsync(
            PushStep, "push", _options.PushAttempts, request.Events,
            async ct =>
            {
                state.Attempts++;
                try
                {
                    await _transport.PushAsync(request.Path, endpoint, refSpec, leaseCommit, ct).ConfigureAwait(false);
                }
                catch (WorkspaceException ex)
                {
                    state.LastError = Mask(ex.Message);
                    throw;
                }
            },
            cancellationToken);

    /// <summary>Runs <paramref name="operation"/>, retrying transient <see cref="WorkspaceException"/>s with exponential backoff and jitter.</summary>
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
                    var error = Mask(args.Outcome.Exception?.Message ?? "unknown error");
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

    /// <summary>Attempts and last error of one push, across its retries and a re-run replacement.</summary>
    private sealed class PushState
    {
        public int Attempts { get; set; }

        public string? LastError { get; set; }
    }
}
