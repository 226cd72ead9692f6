using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// The embedded task queue, over the file-system task registry: each queued task's definition is kept beside its
/// record (<c>tasks/&lt;spec&gt;/&lt;task&gt;.queued.json</c>), its state is the registry's, and a claim is the registry's
/// claim, made under the task's lock. Tasks are handed out in the order they were enqueued; an idle worker is woken by
/// a doorbell file (<c>queue/doorbell</c>, watched with inotify), with its timeout as the fallback.
/// </summary>
/// <remarks>
/// A claim registers the claiming runner (this host, this process) for the task before it claims it, so its claim is
/// live from the start; a runner that got nothing is unregistered again.
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue of tasks, and named so.")]
public sealed partial class FileSystemTaskQueue : ITaskQueue
{
    private readonly FileSystemTaskRegistry _registry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FileSystemTaskQueue> _logger;
    private readonly QueueDoorbell _doorbell;
    private string? _seenStamp;

    /// <summary>Creates the queue over <paramref name="registry"/>'s folder.</summary>
    /// <param name="registry">The file-system registry whose states, locks and claims the queue uses.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public FileSystemTaskQueue(FileSystemTaskRegistry registry, TimeProvider timeProvider, ILogger<FileSystemTaskQueue> logger)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _doorbell = new QueueDoorbell(Path.Combine(registry.RootPath, "queue"), timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed).</exception>
    /// <exception cref="RegistryException">The task's files are corrupt, or could not be locked or written.</exception>
    public async Task<QueueEntry> EnqueueAsync(TaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskContextValidator.ThrowIfInvalid(task);
        var key = TaskKey.Of(task);
        var entry = await _registry.UnderTaskLockAsync(
            key,
            async () =>
            {
                var stored = await _registry.ReadStoredAsync(key, cancellationToken).ConfigureAwait(false);
                if (await _registry.LiveHolderAsync(stored, cancellationToken).ConfigureAwait(false) is { } holder)
                {
                    throw new TaskConflictException($"Task {key} is being run by runner {holder}; it was not enqueued again.", holder);
                }

                var now = _timeProvider.GetUtcNow();
                var earlier = await QueuedTaskFile.ReadAsync(_registry.QueuePath(key), cancellationToken).ConfigureAwait(false);
                var queued = new QueuedTaskFile(task, now, earlier?.Claims ?? 0);
                var record = (stored?.Record ?? new TaskRecord(key, TaskState.Pending, null, now, [])) with { State = TaskState.Pending, UpdatedAt = now };
                await queued.WriteAsync(_registry.QueuePath(key), cancellationToken).ConfigureAwait(false);
                await _registry.WriteStoredAsync(new StoredTask(record, null, stored?.Fence ?? 0), cancellationToken).ConfigureAwait(false);
                return EntryOf(queued, record);
            },
            cancellationToken).ConfigureAwait(false);
        Log.Enqueued(_logger, key.ToString());
        await _doorbell.RingAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">A task's files are corrupt, or could not be locked or written.</exception>
    public async Task<QueuedTask?> ClaimNextAsync(string runnerId, CancellationToken cancellationToken)
    {
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        _seenStamp = _doorbell.Stamp();
        TaskKey? registeredFor = null;
        foreach (var (queued, stored) in await ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            // Finished tasks, and tasks a live runner holds, are passed over without a lock.
            if (stored?.Record.State is TaskState.Done or TaskState.Failed
                || (stored?.Record.State == TaskState.Running && await _registry.LiveHolderAsync(stored, cancellationToken).ConfigureAwait(false) is not null))
            {
                continue;
            }

            if (registeredFor != queued.Task)
            {
                // Registered before the claim is written, so that the claim is live from its first instant.
                await _registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, queued.Task, Environment.MachineName, Environment.ProcessId, _timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                registeredFor = queued.Task;
            }

            if (await TryClaimAsync(queued.Task, runnerId, cancellationToken).ConfigureAwait(false) is { } claimed)
            {
                Log.Claimed(_logger, queued.Task.ToString(), runnerId, claimed.Entry.Claims);
                return claimed;
            }
        }

        if (registeredFor is not null)
        {
            await _registry.UnregisterRunnerAsync(runnerId, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The runner id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The task's files are corrupt, or could not be locked or written.</exception>
    public async Task ReturnAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        PathSegment.Check(runnerId, "runner id", nameof(runnerId));
        await _registry.UnderTaskLockAsync(
            task,
            async () =>
            {
                var stored = await _registry.ReadStoredAsync(task, cancellationToken).ConfigureAwait(false);
                _registry.EnsureHolds(task, stored, runnerId, $"hand task {task} back");
                var record = stored!.Record with { State = TaskState.Pending, UpdatedAt = _timeProvider.GetUtcNow() };
                await _registry.WriteStoredAsync(stored with { Record = record, Holder = null }, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        Log.Returned(_logger, task.ToString(), runnerId);
        await _doorbell.RingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _doorbell.WaitAsync(_seenStamp, timeout, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="RegistryException">A task's files are corrupt.</exception>
    public async Task<IReadOnlyList<QueueEntry>> ListAsync(TaskState? state, CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(cancellationToken).ConfigureAwait(false))
            .Select(q => EntryOf(q.Queued, q.Stored?.Record))
            .Where(e => state is null || e.State == state)];

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec name or task id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The task's files are corrupt.</exception>
    public async Task<QueuedTask?> GetAsync(TaskKey task, CancellationToken cancellationToken)
    {
        var path = _registry.QueuePath(task);
        var queued = await Guard(path, () => QueuedTaskFile.ReadAsync(path, cancellationToken)).ConfigureAwait(false);
        if (queued is null)
        {
            return null;
        }

        var stored = await _registry.ReadStoredAsync(task, cancellationToken).ConfigureAwait(false);
        return new QueuedTask(EntryOf(queued, stored?.Record), queued.Definition);
    }

    /// <summary>Claims the task under its lock if it still waits (or its holder is gone), counting the claim in its queue file.</summary>
    private Task<QueuedTask?> TryClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken) =>
        _registry.UnderTaskLockAsync(
            task,
            async () =>
            {
                var claim = await _registry.ClaimLockedAsync(task, runnerId, cancellationToken, record => record is null or { State: TaskState.Pending or TaskState.Running }).ConfigureAwait(false);
                var path = _registry.QueuePath(task);
                if (!claim.Claimed || await QueuedTaskFile.ReadAsync(path, cancellationToken).ConfigureAwait(false) is not { } queued)
                {
                    return null;
                }

                queued = queued with { Claims = queued.Claims + 1 };
                await queued.WriteAsync(path, cancellationToken).ConfigureAwait(false);
                var record = (await _registry.ReadStoredAsync(task, cancellationToken).ConfigureAwait(false))?.Record;
                return new QueuedTask(EntryOf(queued, record), queued.Definition, claim);
            },
            cancellationToken);

    /// <summary>Every queue file with its task's record, oldest enqueued first.</summary>
    private async Task<List<(QueuedTaskFile Queued, StoredTask? Stored)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var folder = _registry.TasksFolder;
        var all = new List<(QueuedTaskFile, StoredTask?)>();
        if (!Directory.Exists(folder))
        {
            return all;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*" + QueuedTaskFile.Suffix, SearchOption.AllDirectories))
        {
            if (Path.GetFileName(path).StartsWith('.'))
            {
                continue;
            }

            // A file removed after the listing is simply gone.
            if (await Guard(path, () => QueuedTaskFile.ReadAsync(path, cancellationToken)).ConfigureAwait(false) is { } queued)
            {
                all.Add((queued, await _registry.ReadStoredAsync(queued.Task, cancellationToken).ConfigureAwait(false)));
            }
        }

        return [.. all.OrderBy(q => q.Item1.EnqueuedAt).ThenBy(q => q.Item1.Task.SpecName, StringComparer.Ordinal).ThenBy(q => q.Item1.Task.TaskId, StringComparer.Ordinal)];
    }

    private static QueueEntry EntryOf(QueuedTaskFile queued, TaskRecord? record) =>
        new(queued.Task, record?.State ?? TaskState.Pending, queued.EnqueuedAt, record?.UpdatedAt ?? queued.EnqueuedAt, record?.RunnerId, queued.Claims);

    private static async Task<T> Guard<T>(string path, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new RegistryException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RegistryException($"The queue file '{path}' could not be read: {ex.Message}", ex, isTransient: ex is IOException);
        }
    }
}
