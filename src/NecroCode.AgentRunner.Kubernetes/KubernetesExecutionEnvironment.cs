using System.Net;
using System.Threading.Channels;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Kubernetes.Cleanup;
using NecroCode.AgentRunner.Kubernetes.Failures;
using NecroCode.AgentRunner.Kubernetes.Lifecycle;
using NecroCode.AgentRunner.Kubernetes.Manifests;

namespace NecroCode.AgentRunner.Kubernetes;

/// <summary>
/// Runs each task as a Kubernetes Job: one pod runs <c>necrocode-runner run --output jsonl</c> with the task file and the
/// secret files from a per-task Secret, clones origin into its workspace, and reports to the shared registry and artifact
/// store; the host follows the Job (list, then watch, relisting when needed), streams the pod's log as the run's events,
/// classifies how the pod ended, and settles the run from the registry (a reported push verified at the remote).
/// </summary>
/// <remarks>
/// The registry and the artifact store must be shared with the pods (e.g. PostgreSQL and S3, reached through
/// <see cref="KubernetesOptions.Settings"/> and the secret files). A cancelled run, and a run that failed before its pod
/// ended by itself, has its Job deleted (propagation <c>Background</c>); a finished Job is left to its TTL. It cannot resume a run.
/// </remarks>
public sealed partial class KubernetesExecutionEnvironment : IExecutionEnvironment, IDisposable
{
    private readonly KubernetesOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISecretMasker? _masker;
    private readonly RemoteSecretFolder _secrets;
    private readonly RemoteRunSettlement _settlement;
    private readonly string _remote;
    private readonly IKubernetes _client;
    private readonly ClusterCalls _calls;
    private readonly LeftoverSweep _sweep;
    private readonly SemaphoreSlim _sweepGate = new(1, 1);
    private bool _swept;

    /// <summary>Creates the environment.</summary>
    /// <param name="options">The Kubernetes settings.</param>
    /// <param name="registry">The shared task registry the pods write to; the host settles runs from it.</param>
    /// <param name="artifacts">The shared artifact store the pods write to.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="runnerOptions">The runner's settings (the remote's name); defaults when null.</param>
    /// <param name="masker">Learns the secret files' values so that forwarded events never show them; optional.</param>
    /// <param name="remoteBranches">Asks the task's remote, with the secret files' credentials, whether it has a reported push; optional.</param>
    /// <param name="observers">The runner's event observers: they see the pod's events as they see a local run's; optional.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ExecutionEnvironmentException">The cluster's configuration could not be read.</exception>
    public KubernetesExecutionEnvironment(
        IOptions<KubernetesOptions> options,
        ITaskRegistry registry,
        IArtifactStore artifacts,
        TimeProvider timeProvider,
        ILogger<KubernetesExecutionEnvironment> logger,
        IOptions<AgentRunnerOptions>? runnerOptions = null,
        ISecretMasker? masker = null,
        IRemoteBranchReader? remoteBranches = null,
        IEnumerable<IRunEventObserver>? observers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _masker = masker;
        _remote = runnerOptions?.Value.Remote ?? "origin";
        _secrets = new RemoteSecretFolder(_options.SecretsPath, KubernetesOptions.SectionName + ":" + nameof(KubernetesOptions.SecretsPath));
        var verifier = _options.VerifyPush ? new RemotePushVerifier(_secrets, timeProvider, logger, masker, remoteBranches) : null;
        var settlement = new RemoteSettlementOptions(_options.RunnerId, KubernetesOptions.SectionName + ":" + nameof(KubernetesOptions.VerifyPush))
        {
            OutsideStops = "kubectl delete pod",
            Remote = _remote,
        };
        _settlement = new RemoteRunSettlement(registry, artifacts, settlement, timeProvider, logger, masker, verifier, observers);
        _client = ClusterConnection.Open(_options);
        _calls = new ClusterCalls(timeProvider, (attempt, ex, delay) => Log.Retrying(_logger, attempt, delay.TotalMilliseconds, Mask(ex?.Message ?? "")));
        _sweep = new LeftoverSweep(_client, _calls, _options, logger);
    }

    /// <inheritdoc />
    public string Name => "kubernetes";

    /// <inheritdoc />
    /// <exception cref="TaskConflictException">A Job of the same task is still there (a run of it goes on, or its leftover is not yet deleted).</exception>
    /// <exception cref="ExecutionEnvironmentException">The API server refused or did not answer (past its retries), or there is no origin to clone.</exception>
    public async Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resume)
        {
            throw new NotSupportedException($"resume runs in local mode only; the execution mode is {Name}.");
        }

        TaskContextValidator.ThrowIfInvalid(request.Task);
        var key = TaskKey.Of(request.Task);
        var jobName = JobName.For(key, _options.RunnerId);
        var writer = request.RunnerId ?? jobName;
        await SweepLeftoversOnceAsync(cancellationToken).ConfigureAwait(false);
        var input = await InputAsync(request.Task, key, jobName, writer, cancellationToken).ConfigureAwait(false);
        var startedAt = _time.GetUtcNow();
        await CreateAsync(input, cancellationToken).ConfigureAwait(false);
        Log.JobCreated(_logger, jobName, key.ToString(), _options.Namespace, _options.Image);
        var output = _settlement.CreateReader(request);
        var run = new JobRun(_client, _calls, _options, jobName, output, _time, _logger);
        JobRunEnd end;
        var delete = true;
        try
        {
            end = await run.FollowAsync(input.ActiveDeadline + _options.PendingTimeout + (2 * _options.PollInterval), cancellationToken).ConfigureAwait(false);
            delete = end.Cancelled || end.Verdict.Kind != PodVerdictKind.Exited;
        }
        catch (ChannelClosedException ex) when (ex.InnerException is { } inner)
        {
            await _settlement.MarkFailedAsync(key, Mask(inner.Message)).ConfigureAwait(false);
            throw ApiError(inner, $"following the Job {jobName}");
        }
        finally
        {
            if (delete)
            {
                await DeleteQuietlyAsync(jobName).ConfigureAwait(false);
            }
        }

        Log.JobEnded(_logger, jobName, end.Verdict.Kind.ToString(), end.Verdict.Reason?.ToString() ?? "-", run.Lists);
        return await _settlement.SettleSharedAsync(request, writer, output, RunEnd(end, startedAt, input.ActiveDeadline), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Releases the API client.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _sweepGate.Dispose();
    }

    private RemoteRunEnd RunEnd(JobRunEnd end, DateTimeOffset startedAt, TimeSpan deadline)
    {
        var verdict = end.Verdict;
        var failure = end.Cancelled || verdict.Kind == PodVerdictKind.Exited || verdict.Reason is not { } reason
            ? null
            : new RunError("kubernetes", Mask(verdict.Message ?? reason.ToString()), reason.ToString());
        return new RemoteRunEnd
        {
            StartedAt = startedAt,
            ExitCode = verdict.ExitCode ?? (verdict.Kind == PodVerdictKind.Exited ? 0 : -1),
            OutOfMemory = verdict.Reason == KubernetesFailureReason.OOMKilled,
            // The Job's deadline stops the pod, and the pod's end can reach the host before the Job's DeadlineExceeded
            // condition does: a pod that ended with a failure code at or past the deadline was stopped by it.
            TimedOut = verdict.Reason == KubernetesFailureReason.DeadlineExceeded
                || (!end.Cancelled && verdict.Kind == PodVerdictKind.Exited && verdict.ExitCode is not (null or 0) && _time.GetUtcNow() - startedAt >= deadline),
            Cancelled = end.Cancelled,
            Timeout = deadline,
            Failure = failure,
        };
    }
}
