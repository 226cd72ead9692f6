using System.Text.Json;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.FileSystem;

public sealed partial class FileSystemTaskRegistry
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec name or task id is not a safe file name.</exception>
    /// <exception cref="RegistryException">The log ends in a torn line, or could not be locked or written.</exception>
    /// <exception cref="ClaimLostException">The task is held, and not by the event's runner under a live claim.</exception>
    public async Task AppendEventAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        var path = TaskPath(taskEvent.Task, ".events.jsonl");
        var line = JsonSerializer.SerializeToUtf8Bytes(taskEvent, EventLineInfo);
        var bytes = new byte[line.Length + 1];
        line.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';

        // The line is written under the task's lock (the torn-line check and the write are one step) but made
        // durable after the lock is released: fsync flushes every line written to the file so far, so writers
        // waiting for the disk share one journal commit instead of queueing for the lock behind each other's
        // fsync. The call still returns only once its line is on disk. A new log (and its folder entry) is
        // made durable under the lock, once.
        AppendOnlyFile? written = null;
        try
        {
            using (await LockAsync(taskEvent.Task, FileLockMode.Exclusive, cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var recordPath = TaskPath(taskEvent.Task, ".json");
                var current = await GuardAsync(recordPath, () => StoredTask.ReadAsync(taskEvent.Task, recordPath, cancellationToken)).ConfigureAwait(false);
                await EnsureMayWriteAsync(taskEvent.Task, current, taskEvent.RunnerId, $"append a {taskEvent.Type} event to task {taskEvent.Task}", cancellationToken).ConfigureAwait(false);
                written = await GuardAsync(path, () =>
                {
                    var file = AppendOnlyFile.Open(path);
                    try
                    {
                        if (!file.IsEmptyOrEndsWith((byte)'\n'))
                        {
                            throw new InvalidDataException(
                                $"The event log '{path}' ends in a torn line (no line end at byte {file.Length}); it is left as it is for inspection.");
                        }

                        file.Append(bytes);
                        if (file.Created)
                        {
                            file.Flush();
                            UnixFile.FsyncDirectory(Path.GetDirectoryName(path)!);
                            file.Dispose();
                            return Task.FromResult<AppendOnlyFile?>(null);
                        }

                        return Task.FromResult<AppendOnlyFile?>(file);
                    }
                    catch
                    {
                        file.Dispose();
                        throw;
                    }
                }).ConfigureAwait(false);
            }

            if (written is not null)
            {
                await GuardAsync(path, () =>
                {
                    written.Flush();
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
            }
        }
        finally
        {
            written?.Dispose();
        }

        Log.EventAppended(_logger, taskEvent.Task.ToString(), taskEvent.Type);
    }

    private static List<TaskEvent> ParseEvents(string path, byte[] bytes)
    {
        var events = new List<TaskEvent>();
        var span = bytes.AsSpan();
        var lineNumber = 0;
        while (!span.IsEmpty)
        {
            lineNumber++;
            var end = span.IndexOf((byte)'\n');
            if (end < 0)
            {
                throw new RegistryException($"The event log '{path}' ends in a torn line (line {lineNumber} has no line end).");
            }

            try
            {
                events.Add(JsonSerializer.Deserialize(span[..end], EventLineInfo) ?? throw new JsonException("The event is null."));
            }
            catch (JsonException ex)
            {
                throw new RegistryException($"The event log '{path}' has a corrupt line {lineNumber}: {ex.Message}", ex);
            }

            span = span[(end + 1)..];
        }

        return events;
    }

    private static async Task GuardAsync(string path, Func<Task> action) =>
        await GuardAsync<object?>(path, async () =>
        {
            await action().ConfigureAwait(false);
            return null;
        }).ConfigureAwait(false);

    private static async Task<T> GuardAsync<T>(string path, Func<Task<T>> action)
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
            throw new RegistryException($"The registry file '{path}' could not be accessed: {ex.Message}", ex, isTransient: ex is IOException);
        }
    }
}
