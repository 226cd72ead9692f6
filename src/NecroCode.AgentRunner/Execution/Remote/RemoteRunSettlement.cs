using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// The host's side of a run out of process: where its events go (<see cref="CreateReader"/>), its state in the host's
/// registry while it runs, and, once it ended, its settlement (<see cref="SettleAsync"/>) — what the run reported is
/// checked (nothing it wrote or printed is trusted), its artifacts are copied into the host's store and its registry
/// entries into the host's registry, and the host writes the terminal event and state itself, as a local run does.
/// </summary>
/// <remarks>
/// An environment that runs <c>necrocode-runner run --output jsonl</c> elsewhere (a container, a cluster job) composes
/// it with a <see cref="RemoteJobFolder"/>, a <see cref="RemoteSecretFolder"/> and, to believe a reported push only when
/// the remote has it, a <see cref="RemotePushVerifier"/>; it keeps only the calls to its engine. When the request names
/// the runner id whose claim its caller holds (<see cref="ExecutionRequest.RunnerId"/>), every write to the host's
/// registry is made under that id, the only one the registry accepts while the claim is held.
/// </remarks>
public sealed partial class RemoteRunSettlement
{
    private readonly ITaskRegistry _registry;
    private readonly IArtifactStore _artifacts;
    private readonly RemoteSettlementOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISecretMasker? _masker;
    private readonly RemotePushVerifier? _verifier;
    private readonly IRunEventObserver[] _observers;

    /// <summary>Creates the settlement.</summary>
    /// <param name="registry">The host's task registry.</param>
    /// <param name="artifacts">The host's artifact store, receiving each run's artifacts.</param>
    /// <param name="options">The host runner's id and the import limits.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="masker">Masks what the host reads back (output lines, imported events); optional.</param>
    /// <param name="verifier">Asks the remote whether a reported push is there; null trusts the run's report.</param>
    /// <param name="observers">The runner's event observers, which see every run's events as in local mode; optional.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> names no runner id.</exception>
    public RemoteRunSettlement(
        ITaskRegistry registry,
        IArtifactStore artifacts,
        RemoteSettlementOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        ISecretMasker? masker = null,
        RemotePushVerifier? verifier = null,
        IEnumerable<IRunEventObserver>? observers = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _artifacts = artifacts ?? throw new ArgumentNullException(nameof(artifacts));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.RunnerId, nameof(options));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _masker = masker;
        _verifier = verifier;
        _observers = observers is null ? [] : [.. observers];
    }

    /// <summary>
    /// A reader of what the run prints, forwarding its events to the request's sink and the runner's observers
    /// (the inner <see cref="RunFinished"/> is held back: <see cref="SettleAsync"/> publishes the host's).
    /// </summary>
    /// <param name="request">The run's request.</param>
    /// <param name="onStandardError">Also told each (masked) standard-error line, e.g. to log it; optional.</param>
    /// <returns>The reader; feed it everything the run prints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public RemoteEventReader CreateReader(ExecutionRequest request, Action<string>? onStandardError = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RemoteEventReader(EventsOf(request), _masker, onStandardError);
    }

    /// <summary>Marks the task Running under the host runner's id, as the run starts.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Stops the update.</param>
    /// <returns>A task that completes when the registry is updated.</returns>
    /// <exception cref="RegistryException">The registry could not be updated.</exception>
    public Task MarkRunningAsync(TaskKey task, CancellationToken cancellationToken) =>
        _registry.SetTaskStateAsync(task, TaskState.Running, _options.RunnerId, cancellationToken);

    /// <summary>
    /// Marks the task of <paramref name="request"/> Running as the run starts: under the runner id the request names
    /// (whose claim the caller holds), else under the host runner's id.
    /// </summary>
    /// <param name="request">The run's request.</param>
    /// <param name="cancellationToken">Stops the update.</param>
    /// <returns>A task that completes when the registry is updated.</returns>
    /// <exception cref="RegistryException">The registry could not be updated.</exception>
    /// <exception cref="ClaimLostException">The request's runner no longer holds the task.</exception>
    public Task MarkRunningAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _registry.SetTaskStateAsync(TaskKey.Of(request.Task), TaskState.Running, WriterOf(request), cancellationToken);
    }

    /// <summary>
    /// Leaves the host's registry consistent when the environment itself failed mid-run (its engine, a cancellation):
    /// a TaskFailed event with <paramref name="reason"/> and the Failed state. Best effort: a registry error is dropped,
    /// the environment's error is the one to report.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="reason">Why the run failed.</param>
    /// <returns>A task that completes when the registry is updated (or could not be).</returns>
    public Task MarkFailedAsync(TaskKey task, string reason) => MarkFailedAsync(task, _options.RunnerId, reason);

    /// <summary>
    /// Leaves the host's registry consistent when the environment itself failed mid-run, as
    /// <see cref="MarkFailedAsync(TaskKey, string)"/> does, under the runner id <paramref name="request"/> names (whose
    /// claim the caller holds), else under the host runner's id.
    /// </summary>
    /// <param name="request">The run's request.</param>
    /// <param name="reason">Why the run failed.</param>
    /// <returns>A task that completes when the registry is updated (or could not be).</returns>
    public Task MarkFailedAsync(ExecutionRequest request, string reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MarkFailedAsync(TaskKey.Of(request.Task), WriterOf(request), reason);
    }

    private async Task MarkFailedAsync(TaskKey task, string runnerId, string reason)
    {
        try
        {
            await _registry.AppendEventAsync(new TaskEvent(task, TaskEventTypes.TaskFailed, _time.GetUtcNow(), runnerId, reason), CancellationToken.None).ConfigureAwait(false);
            await _registry.SetTaskStateAsync(task, TaskState.Failed, runnerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RegistryException or ClaimLostException)
        {
            // The original error is the one to report; a runner that lost its claim writes nothing more.
        }
    }

    /// <summary>
    /// Settles a run that ended: concludes its summary from <paramref name="output"/> and <paramref name="end"/>, refuses a
    /// reported success the run's own registry, its output or the remote does not bear out (<see cref="RunOutcome.Refused"/>,
    /// <c>UnverifiedResult</c>), copies its artifacts (plain regular files of the job folder only, within the import limit)
    /// into the host's store, records the branch as the task's in the host's registry (<see cref="RunOutcome.Conflict"/> when
    /// another task has it), copies the task's own non-terminal registry events, writes the host's completion event and the
    /// final state, and publishes the one <see cref="RunFinished"/>.
    /// </summary>
    /// <param name="request">The run's request.</param>
    /// <param name="job">The run's job folder.</param>
    /// <param name="output">What the run printed (<see cref="CreateReader"/>), read to its end.</param>
    /// <param name="end">How the run's process ended.</param>
    /// <param name="cancellationToken">Stops the settling.</param>
    /// <returns>The run's summary, with the host's artifact URIs.</returns>
    /// <exception cref="ExecutionEnvironmentException">The results could not be settled on the host (the task is marked Failed).</exception>
    public async Task<RunnerResult> SettleAsync(ExecutionRequest request, RemoteJobFolder job, RemoteEventReader output, RemoteRunEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(end);
        var key = TaskKey.Of(request.Task);
        var result = RemoteRunConclusion.Conclude(request.Task, output, end, _options, _time.GetUtcNow());

        // The remote is asked while the registry and the artifacts are copied out: the network round trip overlaps
        // the disk work. Its answer is awaited before anything final is written.
        var remoteCheck = result.Succeeded ? ReportedSuccess.StartRemoteCheck(_verifier, request.Task, result, cancellationToken) : null;
        try
        {
            var inner = await InnerRegistry.ReadAsync(job, key, _options.MaxImportBytes, _time, cancellationToken).ConfigureAwait(false);
            result = result with { TaskId = request.Task.TaskId, SpecName = request.Task.SpecName, RunnerId = request.RunnerId ?? ReportedSuccess.SafeRunnerId(result.RunnerId, _options.RunnerId) };
            var uris = new Dictionary<string, string>(StringComparer.Ordinal);
            var artifacts = new List<ArtifactRecord>(result.Artifacts.Count);
            foreach (var artifact in result.Artifacts)
            {
                artifacts.Add(await ImportArtifactAsync(job, key, result.RunnerId, artifact, uris, cancellationToken).ConfigureAwait(false));
            }

            if (result.Succeeded
                && await ReportedSuccess.RefusalAsync(request.Task, output.ResultLines, result, inner, remoteCheck, _verifier is not null, _options.VerifyPushSetting).ConfigureAwait(false) is { } refusal)
            {
                Log.ResultRefused(_logger, key.ToString(), refusal);
                result = result with
                {
                    Outcome = RunOutcome.Refused,
                    State = RunnerState.Failed,
                    Error = new RunError(RemoteEventReader.Step, $"The container reported success, but {refusal}; the task is not marked Done.", "UnverifiedResult"),
                };
            }

            // The runner inside claimed the branch in its own registry; the host's registry is the one other tasks are
            // checked against, so the claim is recorded here as well.
            if (result.Succeeded && result.Branch is { Length: > 0 } branch
                && await _registry.TryClaimBranchAsync(branch, key, result.RunnerId, cancellationToken).ConfigureAwait(false) is { } claim
                && !claim.IsOwnedBy(key))
            {
                result = result with
                {
                    Outcome = RunOutcome.Conflict,
                    State = RunnerState.Failed,
                    Error = new RunError("push", $"The branch '{branch}' belongs to task {claim.Owner}, which pushed it first (runner {claim.RunnerId}); the task is not marked Done.", nameof(TaskConflictException)),
                };
            }

            foreach (var taskEvent in inner.Events.Where(e => e.Task == key && e.Type is not (TaskEventTypes.TaskCompleted or TaskEventTypes.TaskFailed)))
            {
                var data = taskEvent.Data?.ToDictionary(p => p.Key, p => uris.TryGetValue(p.Value, out var host) ? host : Mask(p.Value), StringComparer.Ordinal);
                // Under a claim the caller holds, the host's run records the inner run's events as its own.
                await _registry.AppendEventAsync(
                    taskEvent with { RunnerId = request.RunnerId ?? taskEvent.RunnerId, Message = taskEvent.Message is { } text ? Mask(text) : null, Data = data },
                    cancellationToken).ConfigureAwait(false);
            }

            foreach (var artifact in artifacts)
            {
                await _registry.AddArtifactAsync(key, artifact, result.RunnerId, cancellationToken).ConfigureAwait(false);
            }

            // The terminal event is the host's own, as local mode writes it, never one the run wrote.
            var completion = TaskCompletion.Of(result.Outcome, result.Branch, result.CommitId, artifacts, result.Error?.Message, result.Tests?.Comparison, result.Implementations);
            await _registry.AppendEventAsync(completion.ToEvent(key, result.RunnerId, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await _registry.SetTaskStateAsync(key, completion.State, result.RunnerId, cancellationToken).ConfigureAwait(false);
            EventsOf(request).Publish(new RunFinished(result.Outcome, result.Duration, result.Error?.Message) { RunnerId = result.RunnerId });
            return result with { Artifacts = artifacts };
        }
        catch (Exception ex) when (ex is RegistryException or IOException or UnauthorizedAccessException or ArgumentException or ClaimLostException)
        {
            var message = $"The container's results for {key} could not be settled on the host: {ex.Message}";
            await MarkFailedAsync(request, message).ConfigureAwait(false);
            throw new ExecutionEnvironmentException(message, ex);
        }
        finally
        {
            // Observed (and its credentials wiped) even when settling failed before its answer was needed.
            if (remoteCheck is not null)
            {
                await ObserveAsync(remoteCheck).ConfigureAwait(false);
            }
        }
    }

    private RemoteRunEvents EventsOf(ExecutionRequest request) => new(request.Events, _observers, _logger);

    /// <summary>The runner id the host writes under: the one whose claim the caller holds, else the host runner's.</summary>
    private string WriterOf(ExecutionRequest request) => request.RunnerId ?? _options.RunnerId;

    /// <summary>Copies one reported artifact into the host's store; a refused or failed one keeps no URI and says why.</summary>
    private async Task<ArtifactRecord> ImportArtifactAsync(RemoteJobFolder job, TaskKey key, string runnerId, ArtifactRecord artifact, Dictionary<string, string> uris, CancellationToken cancellationToken)
    {
        var mountedPath = artifact.Uri is { IsAbsoluteUri: true, IsFile: true } uri ? uri.LocalPath : artifact.LocalPath;
        if (mountedPath is null)
        {
            return artifact with { Uri = null, LocalPath = null, Error = artifact.Error ?? "The artifact was not found in the container's job folder." };
        }

        var content = job.OpenFromInside(mountedPath, _options.MaxImportBytes, out var refusal);
        if (content is null)
        {
            Log.ArtifactRefused(_logger, artifact.Name, key.ToString(), refusal!);
            return artifact with { Uri = null, LocalPath = null, Error = $"The artifact was not imported from the container: {refusal}." };
        }

        try
        {
            await using (content.ConfigureAwait(false))
            {
                var hostUri = await _artifacts.StoreAsync(new ArtifactKey(key, runnerId, artifact.Name), content, cancellationToken).ConfigureAwait(false);
                if (artifact.Uri is not null)
                {
                    uris[artifact.Uri.ToString()] = hostUri.ToString();
                    uris[artifact.Uri.OriginalString] = hostUri.ToString();
                }

                return artifact with { Uri = hostUri, LocalPath = null, Error = null };
            }
        }
        catch (Exception ex) when (ex is ArtifactStoreException or ArgumentException)
        {
            Log.ArtifactImportFailed(_logger, ex, artifact.Name, key.ToString());
            return artifact with { Uri = null, LocalPath = null, Error = ex.Message };
        }
    }

    /// <summary>Waits for a remote check whose answer is no longer needed, or whose failure was already reported.</summary>
    private static async Task ObserveAsync(Task<RemotePushCheck> remoteCheck)
    {
        try
        {
            await remoteCheck.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or OperationCanceledException)
        {
            // Either reported by the settling it belongs to, or moot because settling failed first.
        }
    }

    private string Mask(string text) => _masker is null ? text : _masker.Apply(text);
}
