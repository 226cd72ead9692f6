using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// Runs a task in a Docker container: the <c>necrocode-runner</c> host of the configured image runs
/// <c>run --task /necrocode/job/task.json --output jsonl</c> with the limits of <see cref="DockerOptions"/>;
/// its run events are forwarded as they come, its artifacts are copied into the host's
/// <see cref="IArtifactStore"/> and its registry entries into the host's <see cref="ITaskRegistry"/>.
/// The container is always removed. Nothing the container reports is trusted: files are read from its job
/// folder without following links, and a reported success counts only when the remote has the pushed commit.
/// </summary>
/// <remarks>
/// The environment makes the engine calls (create, start, wait, stop and remove the container, its mounts and
/// limits, leftovers of crashed hosts); the job folder, the secrets, reading the events back and settling the run
/// on the host are the out-of-process kit's (<see cref="RemoteRunSettlement"/>). It cannot resume a run.
/// </remarks>
public sealed partial class DockerExecutionEnvironment : IExecutionEnvironment, IDisposable
{
    private readonly DockerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISecretMasker? _masker;
    private readonly RemoteSecretFolder _secrets;
    private readonly RemoteRunSettlement _settlement;
    private readonly DockerClient _client;
    private readonly SemaphoreSlim _sweepGate = new(1, 1);
    private bool _swept;

    /// <summary>Creates the environment.</summary>
    /// <param name="options">The Docker settings.</param>
    /// <param name="registry">The host's task registry, updated after each run.</param>
    /// <param name="artifacts">The host's artifact store, receiving each run's artifacts.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="masker">Learns the secret files' values so that forwarded events never show them; optional.</param>
    /// <param name="remoteBranches">
    /// Asks the task's remote, with the secret files' credentials, whether it has the reported push
    /// (<see cref="DockerOptions.VerifyPush"/>); optional (<c>UseGit()</c> registers one). Without it the host runs a plain
    /// <c>git ls-remote</c> without credentials.
    /// </param>
    /// <param name="observers">The runner's event observers: they see the container's events as they see a local run's; optional.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DockerExecutionEnvironment(
        IOptions<DockerOptions> options,
        ITaskRegistry registry,
        IArtifactStore artifacts,
        TimeProvider timeProvider,
        ILogger<DockerExecutionEnvironment> logger,
        ISecretMasker? masker = null,
        IRemoteBranchReader? remoteBranches = null,
        IEnumerable<IRunEventObserver>? observers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _masker = masker;
        _secrets = new RemoteSecretFolder(_options.SecretsPath, DockerOptions.SectionName + ":" + nameof(DockerOptions.SecretsPath));
        var verifier = _options.VerifyPush ? new RemotePushVerifier(_secrets, timeProvider, logger, masker, remoteBranches) : null;
        var settlement = new RemoteSettlementOptions(_options.RunnerId, DockerOptions.SectionName + ":" + nameof(DockerOptions.VerifyPush))
        {
            MaxImportBytes = _options.MaxImportBytes,
            OutsideStops = "docker kill or docker stop",
        };
        _settlement = new RemoteRunSettlement(registry, artifacts, settlement, timeProvider, logger, masker, verifier, observers);
        using var configuration = new DockerClientConfiguration(new Uri(_options.Endpoint));
        _client = configuration.CreateClient();
    }

    /// <inheritdoc />
    public string Name => "docker";

    /// <inheritdoc />
    /// <exception cref="DockerEngineUnavailableException">The engine did not answer.</exception>
    /// <exception cref="DockerImageMissingException">The image is not on the engine.</exception>
    public async Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resume)
        {
            throw new NotSupportedException($"resume runs in local mode only; the execution mode is {Name}.");
        }

        TaskContextValidator.ThrowIfInvalid(request.Task);
        var key = TaskKey.Of(request.Task);
        var job = RemoteJobFolder.Create(_options.JobsPath, _options.RunnerId);
        // The leftover sweep removes only containers whose host process is gone (never this run's: its owner is this
        // process) and their job folders, so it runs beside the whole run instead of before it.
        var sweep = SweepLeftoversOnceAsync(cancellationToken);
        try
        {
            await job.WriteTaskAsync(request.Task, cancellationToken).ConfigureAwait(false);
            var secretNames = _secrets.Learn(_masker);
            var startedAt = _time.GetUtcNow();
            var containerId = await CreateContainerAsync(job, key, secretNames, cancellationToken).ConfigureAwait(false);
            var output = _settlement.CreateReader(request, line => Log.ContainerStderr(_logger, containerId, line));
            RemoteRunEnd? end = null;
            try
            {
                await _settlement.MarkRunningAsync(request, cancellationToken).ConfigureAwait(false);
                end = await RunContainerAsync(containerId, key, output, TimeoutFor(request.Task), startedAt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ExecutionEnvironmentException or OperationCanceledException)
            {
                await _settlement.MarkFailedAsync(request, ex.Message).ConfigureAwait(false);
                throw;
            }
            finally
            {
                if (end is null)
                {
                    await RemoveContainerAsync(containerId).ConfigureAwait(false);
                }
            }

            // The container has ended: its removal runs beside the settlement, which reads only the job folder.
            var removal = RemoveContainerAsync(containerId);
            try
            {
                return await _settlement.SettleAsync(request, job, output, end, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                await removal.ConfigureAwait(false);
            }
        }
        finally
        {
            await SweepEndedAsync(sweep).ConfigureAwait(false);
            if (!_options.KeepJobFolder)
            {
                job.Delete();
            }
        }
    }

    /// <summary>Releases the engine client.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _sweepGate.Dispose();
    }

    private TimeSpan TimeoutFor(TaskContext task) => _options.Timeout ?? task.Timeout + _options.TimeoutMargin;

    /// <summary>Runs a Docker call, turning an unreachable engine, a missing image or an engine error into typed errors.</summary>
    private async Task<T> EngineAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException ex)
        {
            throw new DockerImageMissingException(_options.Image, ex);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw EngineError(ex, null);
        }
    }

    /// <summary>Runs a Docker call without a result, as <see cref="EngineAsync{T}"/>.</summary>
    private async Task EngineAsync(Func<Task> call) => await EngineAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    /// <summary>A failed exchange with the engine: the connection (transport errors) or the engine's own error answer.</summary>
    private static bool IsEngineFailure(Exception ex) =>
        ex is HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException or DockerApiException;

    /// <summary>The typed error of an engine failure, naming what was running when there was something.</summary>
    private ExecutionEnvironmentException EngineError(Exception ex, string? running) => ex switch
    {
        DockerApiException api when running is null => new ExecutionEnvironmentException($"The Docker engine at '{_options.Endpoint}' refused a request ({(int)api.StatusCode}): {api.ResponseBody?.Trim()}", ex),
        DockerApiException api => new ExecutionEnvironmentException($"The Docker engine at '{_options.Endpoint}' failed while {running} ran ({(int)api.StatusCode}): {api.ResponseBody?.Trim()}", ex),
        _ when running is null => new DockerEngineUnavailableException(_options.Endpoint, ex),
        _ => new DockerEngineUnavailableException(_options.Endpoint, new IOException($"The connection to the engine was lost while {running} ran: {ex.Message}", ex)),
    };
}
