using System.Text.Json;
using System.Text.Json.Serialization;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Journal;

/// <summary>
/// Keeps one journal per task in a folder (<c>&lt;spec&gt;/&lt;task&gt;.journal.json</c>), written atomically,
/// so that a run killed at any point can be resumed by another process.
/// </summary>
internal sealed class RunJournalStore(string root)
{
    public string PathOf(TaskKey task) =>
        Path.Combine(root, PathSegment.Check(task.SpecName, "spec name", nameof(task)), PathSegment.Check(task.TaskId, "task id", nameof(task)) + ".journal.json");

    public async Task<RunJournal?> ReadAsync(TaskKey task, CancellationToken cancellationToken)
    {
        try
        {
            return await AtomicFile.ReadJsonAsync(PathOf(task), JournalJsonContext.Default.RunJournal, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new RegistryException($"The run journal '{PathOf(task)}' is corrupt: {ex.Message} Remove it to re-run the task cleanly.", ex);
        }
    }

    public Task WriteAsync(RunJournal journal, CancellationToken cancellationToken) =>
        AtomicFile.WriteJsonAsync(PathOf(new TaskKey(journal.SpecName, journal.TaskId)), journal, JournalJsonContext.Default.RunJournal, cancellationToken);

    public void Delete(TaskKey task)
    {
        try
        {
            File.Delete(PathOf(task));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunJournal))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
