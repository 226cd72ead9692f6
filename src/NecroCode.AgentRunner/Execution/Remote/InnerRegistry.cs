using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>The task's record and events as the runner inside wrote them in its registry, or why they were refused.</summary>
/// <param name="Record">The task's record; null when there is none or it was refused.</param>
/// <param name="Events">The task's events.</param>
/// <param name="Problem">Why the registry was refused; null when it was read.</param>
internal sealed record InnerRegistry(TaskRecord? Record, IReadOnlyList<TaskEvent> Events, string? Problem)
{
    /// <summary>
    /// Reads the task's record and events from the registry in the job folder's <c>state/</c>, through copies made
    /// without following links and within <paramref name="maxBytes"/> each.
    /// </summary>
    public static async Task<InnerRegistry> ReadAsync(RemoteJobFolder job, TaskKey key, long maxBytes, TimeProvider time, CancellationToken cancellationToken)
    {
        var copy = Directory.CreateTempSubdirectory("necrocode-import-");
        try
        {
            var folder = Path.Combine(copy.FullName, "tasks", key.SpecName);
            Directory.CreateDirectory(folder);
            foreach (var suffix in new[] { ".json", ".events.jsonl" })
            {
                var stream = job.OpenInside(["state", "registry", "tasks", key.SpecName, key.TaskId + suffix], maxBytes, out var refusal);
                if (stream is null)
                {
                    if (refusal is not null)
                    {
                        return new InnerRegistry(null, [], $"its registry file '{key.TaskId + suffix}' was refused: {refusal}");
                    }

                    continue;
                }

                await using (stream.ConfigureAwait(false))
                {
                    var target = new FileStream(Path.Combine(folder, key.TaskId + suffix), FileMode.CreateNew, FileAccess.Write);
                    await using (target.ConfigureAwait(false))
                    {
                        await stream.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var registry = new FileSystemTaskRegistry(
                Options.Create(new FileSystemOptions { RootPath = copy.FullName, RegistryPath = copy.FullName }), time, NullLogger<FileSystemTaskRegistry>.Instance);
            try
            {
                var record = await registry.GetTaskAsync(key, cancellationToken).ConfigureAwait(false);
                var events = await registry.GetEventsAsync(key, cancellationToken).ConfigureAwait(false);
                return new InnerRegistry(record, events, null);
            }
            catch (RegistryException ex)
            {
                return new InnerRegistry(null, [], $"its registry could not be read ({ex.Message})");
            }
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}
