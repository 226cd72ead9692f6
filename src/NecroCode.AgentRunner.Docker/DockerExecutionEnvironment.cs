using System.Globalization;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// Runs a task in a Docker container (R9.3): the <c>necrocode-runner</c> host of the configured image runs
/// <c>run --task /necrocode/job/task.json --output jsonl</c> with the limits of <see cref="DockerOptions"/>;
/// its run events are forwarded as they come, its artifacts are copied into the host's
/// <see cref="IArtifactStore"/> and its registry entries into the host's <see cref="ITaskRegistry"/>.
/// The container is always removed. Nothing the container reports is trusted: files are read from its job
/// folder without following links, and a reported success counts only when the remote has the pushed commit.
/// </summary>
public sealed partial class DockerExecutionEnvironment : IExecutionEnvironment, IDisposable
{
    private readonly DockerOptions _options;
    private readonly ITaskRegistry _registry;
    private readonly IArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISecretMasker? _masker;
    private readonly IRemoteBranchReader? _remoteBranches;
    private readonly DockerClient _client;
    /// <summary>Longest wait for the remote when the host checks a reported push.</summary>
    private static readonly TimeSpan RemoteCheckTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The largest secret file the host's masker learns (the runner inside refuses larger ones by default too).</summary>
    private const int MaxSecretFileBytes = 64 * 1024;
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
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DockerExecutionEnvironment(
        IOptions<DockerOptions> options,
        ITaskRegistry registry,
        IArtifactStore artifacts,
        TimeProvider timeProvider,
        ILogger<DockerExecutionEnvironment> logger,
        ISecretMasker? masker = null,
        IRemoteBranchReader? remoteBranches = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _artifacts = artifacts ?? throw new ArgumentNullException(nameof(artifacts));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _masker = masker;
        _remoteBranches = remoteBranches;
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
        TaskContextValidator.ThrowIfInvalid(request.Task);
        var key = TaskKey.Of(request.Task);
        var job = DockerJob.Create(_options.JobsPath, _options.RunnerId);
        try
        {
            // The leftover sweep waits on the engine, the job folder on the disk: side by side (the sweep removes
            // only folders of labelled containers, never this new one).
            await Task.WhenAll(SweepLeftoversOnceAsync(cancellationToken), job.WriteTaskAsync(request.Task, cancellationToken)).ConfigureAwait(false);
            var secretNames = LearnSecrets();
            var startedAt = _time.GetUtcNow();
            var containerId = await CreateContainerAsync(job, key, secretNames, cancellationToken).ConfigureAwait(false);
            ContainerRun run;
            try
            {
                await _registry.SetTaskStateAsync(key, TaskState.Running, _options.RunnerId, cancellationToken).ConfigureAwait(false);
                run = await RunContainerAsync(containerId, key, request, TimeoutFor(request.Task), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ExecutionEnvironmentException or OperationCanceledException)
            {
                await MarkFailedAsync(key, ex.Message).ConfigureAwait(false);
                throw;
            }
            finally
            {
                await RemoveContainerAsync(containerId).ConfigureAwait(false);
            }

            var result = Conclude(request, run, startedAt);
            return await ImportAsync(job, key, request, run, result, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
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

    /// <summary>Leaves the host's registry consistent when the engine failed mid-run.</summary>
    private async Task MarkFailedAsync(TaskKey key, string reason)
    {
        try
        {
            await _registry.AppendEventAsync(new TaskEvent(key, TaskEventTypes.TaskFailed, _time.GetUtcNow(), _options.RunnerId, reason), CancellationToken.None).ConfigureAwait(false);
            await _registry.SetTaskStateAsync(key, TaskState.Failed, _options.RunnerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RegistryException)
        {
            // The original error is the one to report.
        }
    }

    private TimeSpan TimeoutFor(TaskContext task) => _options.Timeout ?? task.Timeout + _options.TimeoutMargin;

    /// <summary>
    /// The secret files in <see cref="DockerOptions.SecretsPath"/> (one secret a file, named as the runner inside
    /// fetches them: letters, digits, '-', '_', '.', not starting with '.'); the host's masker learns each value.
    /// </summary>
    private List<string> LearnSecrets()
    {
        var names = SecretNames();
        if (_masker is null)
        {
            return names;
        }

        foreach (var file in names.Select(name => Path.Combine(_options.SecretsPath!, name)))
        {
            if (new FileInfo(file).Length <= MaxSecretFileBytes)
            {
                var value = File.ReadAllText(file).TrimEnd('\r', '\n');
                if (value.Length > 0)
                {
                    _masker.AddSecret(value);
                }
            }
        }

        return names;
    }

    /// <summary>The names of the secret files in <see cref="DockerOptions.SecretsPath"/>, in ordinal order; none without the folder.</summary>
    private List<string> SecretNames()
    {
        if (string.IsNullOrEmpty(_options.SecretsPath) || !Directory.Exists(_options.SecretsPath))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(_options.SecretsPath).Select(Path.GetFileName).OfType<string>().Where(IsSecretName).Order(StringComparer.Ordinal)];
    }

    private static bool IsSecretName(string name) =>
        name.Length is > 0 and <= 255 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Turns what the container did into the run summary, whatever way it ended.</summary>
    private RunnerResult Conclude(ExecutionRequest request, ContainerRun run, DateTimeOffset startedAt)
    {
        RunError? error = null;
        var outcome = RunOutcome.InfrastructureError;
        if (run.TimedOut)
        {
            outcome = RunOutcome.TimedOut;
            error = new RunError("container", $"The container ran past its timeout of {run.Timeout} and was stopped.", "Timeout");
        }
        else if (run.Cancelled)
        {
            outcome = RunOutcome.Cancelled;
            error = new RunError("container", "The run was cancelled; the container was stopped.");
        }
        else if (run.OutOfMemory && run.Result is not { Succeeded: true })
        {
            outcome = run.Result?.Outcome ?? RunOutcome.InfrastructureError;
            var limit = _options.MemoryBytes is { } bytes ? $" of {bytes.ToString(CultureInfo.InvariantCulture)} bytes" : "";
            error = new RunError("container", $"Out of memory: a process in the container exceeded the memory limit{limit} and was killed by the OOM killer.", "OutOfMemory");
        }
        else if (run.Result is { } inner)
        {
            return inner;
        }
        else if (run.ExitCode > 128 && run.ExitCode < 160)
        {
            error = new RunError("container", $"The container was killed by signal {run.ExitCode - 128} (exit code {run.ExitCode}) before the runner wrote a result: it was stopped from outside the run (e.g. docker kill or docker stop) or by the engine.{(run.LastError is null ? "" : " Last error: " + run.LastError)}", "ContainerKilled");
        }
        else
        {
            error = new RunError("container", $"The runner in the container exited with code {run.ExitCode} without a result.{(run.LastError is null ? "" : " Last error: " + run.LastError)}");
        }

        var finishedAt = _time.GetUtcNow();
        if (run.Result is { } partial)
        {
            return partial with { Outcome = outcome == RunOutcome.Succeeded ? RunOutcome.InfrastructureError : outcome, State = RunnerState.Failed, Error = error, FinishedAt = finishedAt };
        }

        return new RunnerResult
        {
            TaskId = request.Task.TaskId,
            SpecName = request.Task.SpecName,
            RunnerId = run.RunnerId ?? _options.RunnerId,
            Outcome = outcome,
            State = RunnerState.Failed,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Error = error,
        };
    }

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
