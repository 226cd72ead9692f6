using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// The embedded task registry: JSON documents and JSON-lines event logs in a folder, safe for many runner
/// processes at once.
/// </summary>
/// <remarks>
/// Layout under <see cref="FileSystemOptions.RegistryPath"/>: <c>tasks/&lt;spec&gt;/&lt;task&gt;.json</c> (the
/// <see cref="TaskRecord"/>), <c>tasks/&lt;spec&gt;/&lt;task&gt;.events.jsonl</c> (one <see cref="TaskEvent"/> a
/// line), <c>tasks/&lt;spec&gt;/&lt;task&gt;.lock</c> (the task's lock file) and <c>runners/&lt;runner&gt;.json</c> (with <c>&lt;runner&gt;.identity</c>, the registering process's
/// <see cref="ProcessIdentity"/>, when a runner registers itself). The record file also keeps the task's claim (its
/// holder and fencing number, see <see cref="StoredTask"/>); a write about a held task by anyone but its live holder is
/// refused with <see cref="ClaimLostException"/>.
/// Read-modify-write of a task and appends to its log happen under the task's <c>flock</c>; documents are
/// replaced atomically (temp file, fsync, rename, fsync of the folder); events are appended with
/// <c>O_APPEND</c> and fsync. A torn or corrupt file is reported as a <see cref="RegistryException"/> naming
/// it and is never overwritten.
/// </remarks>
public sealed partial class FileSystemTaskRegistry : ITaskRegistry
{
    private static readonly JsonTypeInfo<TaskEvent> EventLineInfo = (JsonTypeInfo<TaskEvent>)AgentRunnerJson.LineOptions.GetTypeInfo(typeof(TaskEvent));
    private static readonly JsonTypeInfo<RunnerRegistration> RunnerInfo = (JsonTypeInfo<RunnerRegistration>)AgentRunnerJson.Options.GetTypeInfo(typeof(RunnerRegistration));

    private readonly string _root;
    private readonly TimeSpan _lockTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FileSystemTaskRegistry> _logger;

    /// <summary>Creates the registry over <see cref="FileSystemOptions.RegistryPath"/>.</summary>
    /// <param name="options">Where, and how long to wait for a lock.</param>
    /// <param name="timeProvider">The clock (timestamps, lock waits).</param>
    /// <param name="logger">The logger.</param>
    public FileSystemTaskRegistry(IOptions<FileSystemOptions> options, TimeProvider timeProvider, ILogger<FileSystemTaskRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _root = options.Value.GetRegistryPath();
        _lockTimeout = options.Value.LockTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The registry's folder (absolute).</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The registration could not be written.</exception>
    public async Task RegisterRunnerAsync(RunnerRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var path = RunnerPath(registration.RunnerId, nameof(registration));
        if (registration.ProcessId == Environment.ProcessId && string.Equals(registration.Host, Environment.MachineName, StringComparison.Ordinal))
        {
            // The process's precise identity (start ticks, boot id) lets a claim tell a live runner from a reused pid.
            var identityPath = Path.ChangeExtension(path, IdentitySuffix);
            await GuardAsync(identityPath, () => AtomicFile.WriteJsonAsync(identityPath, ProcessIdentity.Current, FileSystemJsonContext.Default.ProcessIdentity, cancellationToken)).ConfigureAwait(false);
        }

        await GuardAsync(path, () => AtomicFile.WriteJsonAsync(path, registration, RunnerInfo, cancellationToken)).ConfigureAwait(false);
        Log.RunnerRegistered(_logger, registration.RunnerId, registration.Task.ToString(), path);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The registration could not be removed.</exception>
    public Task UnregisterRunnerAsync(string runnerId, CancellationToken cancellationToken)
    {
        var path = RunnerPath(runnerId, nameof(runnerId));
        cancellationToken.ThrowIfCancellationRequested();
        return GuardAsync(path, () =>
        {
            if (AtomicFile.Delete(path))
            {
                Log.RunnerUnregistered(_logger, runnerId);
            }

            AtomicFile.Delete(Path.ChangeExtension(path, IdentitySuffix));

            return Task.CompletedTask;
        });
    }

    /// <inheritdoc />
    /// <remarks>A state written by a runner other than the holder (about a task nobody holds) leaves the task unheld.</remarks>
    /// <exception cref="ArgumentException">The spec name or task id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record is corrupt, or could not be locked or written.</exception>
    public Task SetTaskStateAsync(TaskKey task, TaskState state, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        return UpdateRecordAsync(
            task,
            runnerId,
            $"set the state of task {task} to {state}",
            stored => stored with
            {
                Record = stored.Record with { State = state, RunnerId = runnerId },
                Holder = state == TaskState.Running && string.Equals(stored.HeldBy, runnerId, StringComparison.Ordinal) ? runnerId : null,
            },
            new TaskRecord(task, state, runnerId, default, []),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec name or task id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record is corrupt, or could not be locked or written.</exception>
    public Task AddArtifactAsync(TaskKey task, ArtifactRecord artifact, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentException.ThrowIfNullOrWhiteSpace(artifact.Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        return UpdateRecordAsync(
            task,
            runnerId,
            $"record the artifact {artifact.Name} of task {task}",
            stored => stored with { Record = stored.Record with { Artifacts = [.. stored.Record.Artifacts.Where(a => !string.Equals(a.Name, artifact.Name, StringComparison.Ordinal)), artifact] } },
            new TaskRecord(task, TaskState.Pending, null, default, []),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec name or task id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The record is corrupt (the message names the file).</exception>
    public Task<TaskRecord?> GetTaskAsync(TaskKey task, CancellationToken cancellationToken)
    {
        var path = TaskPath(task, ".json");
        return GuardAsync(path, async () => (await StoredTask.ReadAsync(task, path, cancellationToken).ConfigureAwait(false))?.Record);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec name or task id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The log has a corrupt or torn line (the message names file and line).</exception>
    public async Task<IReadOnlyList<TaskEvent>> GetEventsAsync(TaskKey task, CancellationToken cancellationToken)
    {
        var path = TaskPath(task, ".events.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        byte[] bytes;
        using (await LockAsync(task, FileLockMode.Shared, cancellationToken).ConfigureAwait(false))
        {
            bytes = await GuardAsync(path, () => File.ReadAllBytesAsync(path, cancellationToken)).ConfigureAwait(false);
        }

        return ParseEvents(path, bytes);
    }

    /// <inheritdoc />
    /// <exception cref="RegistryException">A registration is corrupt (the message names the file).</exception>
    public async Task<IReadOnlyList<RunnerRegistration>> GetRunnersAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, "runners");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var runners = new List<RunnerRegistration>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            // A registration removed after the listing is simply gone.
            if (await GuardAsync(path, () => AtomicFile.ReadJsonAsync(path, RunnerInfo, cancellationToken)).ConfigureAwait(false) is { } runner)
            {
                runners.Add(runner);
            }
        }

        return runners;
    }

    /// <summary>Reads, changes and writes a task's record under its lock, once <paramref name="writer"/> may write about it.</summary>
    private async Task UpdateRecordAsync(TaskKey task, string writer, string what, Func<StoredTask, StoredTask> change, TaskRecord initial, CancellationToken cancellationToken)
    {
        var path = TaskPath(task, ".json");
        using (await LockAsync(task, FileLockMode.Exclusive, cancellationToken).ConfigureAwait(false))
        {
            await GuardAsync(path, async () =>
            {
                var now = _timeProvider.GetUtcNow();
                var current = await StoredTask.ReadAsync(task, path, cancellationToken).ConfigureAwait(false);
                await EnsureMayWriteAsync(task, current, writer, what, cancellationToken).ConfigureAwait(false);
                var updated = change(current ?? new StoredTask(initial, null, 0));
                updated = updated with { Record = updated.Record with { UpdatedAt = now } };
                await updated.WriteAsync(path, cancellationToken).ConfigureAwait(false);
                Log.TaskUpdated(_logger, task.ToString(), updated.Record.State, updated.Record.Artifacts.Count);
            }).ConfigureAwait(false);
        }
    }

    private Task<FileLock> LockAsync(TaskKey task, FileLockMode mode, CancellationToken cancellationToken) =>
        LockFileAsync(TaskPath(task, ".lock"), cancellationToken, mode);

    private async Task<FileLock> LockFileAsync(string path, CancellationToken cancellationToken, FileLockMode mode = FileLockMode.Exclusive)
    {
        var start = _timeProvider.GetTimestamp();
        try
        {
            var held = await FileLock.AcquireAsync(path, mode, _lockTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            var waited = _timeProvider.GetElapsedTime(start);
            if (waited > TimeSpan.FromSeconds(1))
            {
                Log.SlowLock(_logger, path, waited.TotalMilliseconds);
            }

            return held;
        }
        catch (TimeoutException ex)
        {
            throw new RegistryException(ex.Message, ex, isTransient: true);
        }
        catch (IOException ex)
        {
            throw new RegistryException($"The registry lock '{path}' could not be taken: {ex.Message}", ex, isTransient: true);
        }
    }

    private string TaskPath(TaskKey task, string suffix)
    {
        PathSegment.Check(task.SpecName, "spec name", nameof(task));
        PathSegment.Check(task.TaskId, "task id", nameof(task));
        return Path.Combine(_root, "tasks", task.SpecName, task.TaskId + suffix);
    }

    private string RunnerPath(string runnerId, string paramName) =>
        Path.Combine(_root, "runners", PathSegment.Check(runnerId, "runner id", paramName) + ".json");
}
