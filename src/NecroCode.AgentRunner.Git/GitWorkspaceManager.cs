using System.Collections.Concurrent;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// The git <see cref="IWorkspaceManager"/>: recovers a slot from whatever an earlier run left, puts it on a
/// fresh task branch at the remote's main branch, captures a binary-safe diff, commits and pushes only
/// the task branch (with retries of transient failures), and rolls the slot back.
/// </summary>
/// <remarks>
/// LibGit2Sharp does the in-process work (reading refs and HEAD, moving refs, inspecting
/// commits); the <c>git</c> executable does the work where it is faster or more complete:
/// network transfer, <c>add -A</c>, checkout, <c>clean</c> and patches that <c>git apply</c> accepts.
/// </remarks>
public sealed partial class GitWorkspaceManager : IWorkspaceManager
{
    /// <summary>The step name used in events published while preparing a workspace.</summary>
    public const string PrepareStep = "prepare-workspace";

    /// <summary>The step name used in events published while pushing.</summary>
    public const string PushStep = "push";

    private readonly AgentRunnerOptions _runner;
    private readonly GitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GitCli _git;
    private readonly IGitTransport _transport;
    private readonly BranchGuard _guard;
    private readonly ISecretMasker _masker;
    private readonly ConcurrentDictionary<string, SlotRun> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StagedIndex> _staged = new(StringComparer.Ordinal);

    /// <summary>Creates the manager.</summary>
    /// <param name="runnerOptions">The runner's options: main branch and remote.</param>
    /// <param name="gitOptions">The git options.</param>
    /// <param name="timeProvider">The clock used for commit times and retry delays.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <param name="secretMasker">
    /// The runner's masker: the HTTPS token and its encodings are added to it before git sees them, and
    /// every git error is masked with it. A private <see cref="Security.SecretMasker"/> when null.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public GitWorkspaceManager(
        IOptions<AgentRunnerOptions> runnerOptions,
        IOptions<GitOptions> gitOptions,
        TimeProvider timeProvider,
        ILogger<GitWorkspaceManager>? logger = null,
        ISecretMasker? secretMasker = null)
        : this(runnerOptions, gitOptions, timeProvider, logger, transport: null, secretMasker)
    {
    }

    internal GitWorkspaceManager(
        IOptions<AgentRunnerOptions> runnerOptions,
        IOptions<GitOptions> gitOptions,
        TimeProvider timeProvider,
        ILogger? logger,
        IGitTransport? transport,
        ISecretMasker? secretMasker = null)
    {
        ArgumentNullException.ThrowIfNull(runnerOptions);
        ArgumentNullException.ThrowIfNull(gitOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _runner = runnerOptions.Value;
        _options = gitOptions.Value;
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _masker = secretMasker ?? new Security.SecretMasker();
        _git = new GitCli(_options.GitExecutable);
        _transport = transport ?? new GitCliTransport(_git, _options.NetworkTimeout, new GitHttpCredentials(_options, _masker));
        _guard = new BranchGuard(_runner.MainBranch, _options.ProtectedBranches);
    }

    internal GitCli Git => _git;

    private string RemoteMainRef => $"refs/remotes/{_runner.Remote}/{_runner.MainBranch}";

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="WorkspaceRequest.ResumeCommit"/> set, the slot is recovered and fetched as usual, then the
    /// task branch is checked out at that commit (which must be in the slot) instead of at the remote's main
    /// branch; <see cref="PreparedWorkspace.BaseCommit"/> is then where that commit left the main branch
    /// (their merge base), so a diff against it still shows only the task's work.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="WorkspaceException">
    /// The slot is missing, not a repository or in use, the remote has no main branch, the fetch failed, or the
    /// resume commit is not in the slot.
    /// </exception>
    public async Task<PreparedWorkspace> PrepareAsync(WorkspaceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = _time.GetTimestamp();
        EnsureTaskBranchName(request.Branch);

        await StartEmptySlotAsync(request.Path, cancellationToken).ConfigureAwait(false);

        // One LibGit2Sharp session for the whole preparation: it reads no index, only refs, which it reads
        // from disk on every lookup (so it sees what the fetch and the checkout wrote).
        using var repository = OpenRepository(request.Path);
        var gitDirectory = repository.Info.Path;
        Log.PrepareStarted(_logger, request.Path, request.Branch);
        Repair(request.Path, gitDirectory, request.Events);
        var sanitized = await SanitizeConfigurationAsync(request.Path, gitDirectory, request.Events, cancellationToken).ConfigureAwait(false);
        var remote = ReadRemote(repository, request.Path);

        // The fetch waits on the network, the leftover report on the disk: they run side by side (neither
        // touches what the other writes: refs and objects versus the index). The fetch, usually the longer, starts first.
        var refSpec = $"+refs/heads/{_runner.MainBranch}:{RemoteMainRef}";
        var fetch = FetchMainAsync(request, remote, refSpec, cancellationToken);
        var report = ReportLeftoversAsync(request.Path, gitDirectory, request.Events, cancellationToken);
        await Task.WhenAll(report, fetch).ConfigureAwait(false);

        var remoteMain = repository.Refs[RemoteMainRef]?.ResolveToDirectReference()?.TargetIdentifier
            ?? throw new WorkspaceException($"The remote '{_runner.Remote}' of '{request.Path}' has no branch '{_runner.MainBranch}'.");
        var previousTip = repository.Refs[$"refs/heads/{request.Branch}"]?.ResolveToDirectReference()?.TargetIdentifier;
        var (checkoutAt, baseCommit) = request.ResumeCommit is { } resume
            ? ResolveResume(repository, request, resume, remoteMain)
            : await ResolveStartAsync(repository, request, remote, remoteMain, cancellationToken).ConfigureAwait(false);

        await _git.RunCheckedAsync(request.Path, ["checkout", "--force", "--no-track", "-B", request.Branch, checkoutAt], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);

        // The main branch follows the remote's main: the slot's "checkout main, reset --hard origin/main" (R2.2, R2.4).
        repository.Refs.Add($"refs/heads/{_runner.MainBranch}", new ObjectId(remoteMain), $"necrocode: reset to {RemoteMainRef}", allowOverwrite: true);
        var refs = repository.Refs.Select(r => r.CanonicalName).ToHashSet(StringComparer.Ordinal);

        // The configuration snapshot (after the checkout: includeIf onbranch depends on it; without includes the
        // sanitizing's listing is still valid) reads what the clean does not touch.
        var snapshot = SlotSnapshot.TakeAsync(_git, request.Path, gitDirectory, _options.CommandTimeout, sanitized, cancellationToken);
        await CleanAsync(request.Path, cancellationToken).ConfigureAwait(false);
        _runs[SlotRun.KeyOf(request.Path)] = new SlotRun(request.Branch, checkoutAt, refs, remote, await snapshot.ConfigureAwait(false));
        if (request.ResumeCommit is not null)
        {
            Log.Resumed(_logger, request.Path, request.Branch, checkoutAt, baseCommit);
        }
        else if (previousTip is not null && previousTip != baseCommit)
        {
            var from = baseCommit == remoteMain ? _runner.MainBranch : request.BaseBranch;
            Warn(request.Events, PrepareStep, $"Re-run: the local branch '{request.Branch}' (at {Short(previousTip)}) was rebuilt from {_runner.Remote}/{from} ({Short(baseCommit)}).");
        }

        Log.Prepared(_logger, request.Path, request.Branch, baseCommit, _time.GetElapsedTime(start).TotalMilliseconds);
        return new PreparedWorkspace(request.Path, request.Branch, baseCommit);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="WorkspaceException">The slot is not a repository, or it has no remote main branch to return to.</exception>
    public async Task RollbackAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var gitDirectory = OpenGitDirectory(path);
        _staged.TryRemove(SlotRun.KeyOf(path), out _);

        // First of all: what the agent planted in the configuration (filters, fsmonitor …) must not act on the
        // runner's own git commands below.
        if (_runs.TryRemove(SlotRun.KeyOf(path), out var run))
        {
            RestoreConfiguration(run.Snapshot, events: null, "rollback");
        }

        await RecoverAsync(path, gitDirectory, events: null, cancellationToken).ConfigureAwait(false);
        string? target;
        using (var repository = new Repository(path))
        {
            target = repository.Refs[RemoteMainRef]?.ResolveToDirectReference()?.TargetIdentifier;
        }

        // Without the remote's main (a slot whose remote has no such branch, so it was never fetched) the slot
        // is cleaned where it stands: nothing is wrong with it, and the next preparation fetches again.
        string[] reset = target is null ? ["reset", "--hard", "--quiet"] : ["checkout", "--force", "--no-track", "-B", _runner.MainBranch, target];
        await _git.RunCheckedAsync(path, reset, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        await CleanAsync(path, cancellationToken).ConfigureAwait(false);
        if (run is not null)
        {
            UndoAgentRefs(path, run);
        }

        await PruneUnreachableAsync(path, cancellationToken).ConfigureAwait(false);
        Log.RolledBack(_logger, path, target ?? "HEAD");
    }

    private void EnsureTaskBranchName(string branch)
    {
        try
        {
            _guard.EnsurePushable(branch);
        }
        catch (PushRefusedException ex)
        {
            throw new WorkspaceException($"'{branch}' cannot be a task branch: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the remote's URLs from the slot's configuration (as written there, before any rewriting).</summary>
    private SlotRemote ReadRemote(Repository repository, string path) => SlotRemote.Read(repository, _runner.Remote, path);

    /// <summary>Restores the slot's <c>.git/config</c> and <c>.git/hooks</c> from the preparation's snapshot, warning about each restored part.</summary>
    private void RestoreConfiguration(SlotSnapshot snapshot, IRunEventSink? events, string step)
    {
        if (snapshot.RestoreConfig())
        {
            Warn(events, step, "The slot's .git/config had changed since it was prepared; it was restored.");
        }

        if (snapshot.RestoreHooks() is { Count: > 0 } hooks)
        {
            Warn(events, step, $"The slot's hooks had changed since it was prepared ({string.Join(", ", hooks)}); they were restored (the runner never runs hooks).");
        }
    }

    private static string OpenGitDirectory(string path)
    {
        using var repository = OpenRepository(path);
        return repository.Info.Path;
    }

    /// <summary>Opens the slot's repository; the caller disposes it.</summary>
    private static Repository OpenRepository(string path)
    {
        if (string.IsNullOrEmpty(path) || !Directory.Exists(path))
        {
            throw new WorkspaceException($"The workspace '{path}' does not exist.");
        }

        Repository repository;
        try
        {
            repository = new Repository(path);
        }
        catch (RepositoryNotFoundException ex)
        {
            throw new WorkspaceException($"The workspace '{path}' is not a git repository.", ex);
        }

        if (repository.Info.IsBare)
        {
            repository.Dispose();
            throw new WorkspaceException($"The workspace '{path}' is a bare repository; a slot needs a working tree.");
        }

        return repository;
    }

    private async Task CleanAsync(string path, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "clean", "-ffdxq" };
        foreach (var pattern in _options.KeepIgnoredFiles)
        {
            arguments.Add("-e");
            arguments.Add(pattern);
        }

        await _git.RunCheckedAsync(path, arguments, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }

    private void Warn(IRunEventSink? events, string step, string message)
    {
        var masked = Mask(message);
        Log.RecoveryAction(_logger, masked);
        events?.Publish(new RunWarning(step, masked));
    }

    /// <summary>Strips URL credentials and every secret the masker knows (the HTTPS token among them).</summary>
    private string Mask(string text) => _masker.Apply(GitErrors.Mask(text));

    /// <summary>Finds the resume commit in the slot and the main-branch commit it grew from.</summary>
    private (string Commit, string Base) ResolveResume(Repository repository, WorkspaceRequest request, string resume, string remoteMain)
    {
        var commit = (string.IsNullOrWhiteSpace(resume) ? null : repository.Lookup(resume.Trim())) as Commit
            ?? throw new WorkspaceException(
                $"Cannot resume '{request.Branch}' in '{request.Path}': the commit '{resume}' is not in the slot (the slot was replaced or the commit was never made here). Run the task from the start instead.");
        var mergeBase = repository.ObjectDatabase.FindMergeBase(commit, repository.Lookup<Commit>(remoteMain))
            ?? throw new WorkspaceException(
                $"Cannot resume '{request.Branch}' at {Short(commit.Sha)}: it shares no history with {_runner.Remote}/{_runner.MainBranch}.");
        return (commit.Sha, mergeBase.Sha);
    }

    private static string Short(string sha) => sha.Length > 10 ? sha[..10] : sha;
}
