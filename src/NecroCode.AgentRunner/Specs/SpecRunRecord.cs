using System.Text.Json;
using System.Text.Json.Serialization;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// The resume record of a spec: for each task a run started, whether it is running (a killed spec run leaves it so,
/// and the next run resumes it), done (with its branch and commit, which its dependants start from) or failed.
/// Kept beside the run journals (<c>specs/&lt;spec&gt;.json</c> under the work directory), written atomically.
/// </summary>
internal sealed record SpecRunRecord(string Spec, string Folder, Dictionary<string, SpecRunRecordEntry> Tasks);

/// <summary>One task of a <see cref="SpecRunRecord"/>.</summary>
internal sealed record SpecRunRecordEntry(SpecRunRecordState State, string? Branch, string? CommitId, DateTimeOffset UpdatedAt);

/// <summary>Where a task of a spec run stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpecRunRecordState>))]
internal enum SpecRunRecordState
{
    Running,
    Done,
    Failed,
}

/// <summary>Reads and writes spec run records; one writer at a time within a spec run.</summary>
internal sealed class SpecRunRecordStore(string root)
{
    public string PathOf(string spec) => Path.Combine(root, "specs", PathSegment.Check(spec, "spec name", nameof(spec)) + ".json");

    /// <summary>The spec's record, or an empty one; a record of another folder of the same name counts as none.</summary>
    public async Task<SpecRunRecord> ReadAsync(string spec, string folder, CancellationToken cancellationToken)
    {
        SpecRunRecord? record;
        try
        {
            record = await AtomicFile.ReadJsonAsync(PathOf(spec), SpecRunJsonContext.Default.SpecRunRecord, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new RegistryException($"The spec run record '{PathOf(spec)}' is corrupt: {ex.Message} Remove it; the registry and tasks.md still tell what is done.", ex);
        }

        return record is not null && string.Equals(record.Folder, folder, StringComparison.Ordinal)
            ? record with { Tasks = new(record.Tasks, StringComparer.Ordinal) }
            : new SpecRunRecord(spec, folder, new(StringComparer.Ordinal));
    }

    public Task WriteAsync(SpecRunRecord record, CancellationToken cancellationToken) =>
        AtomicFile.WriteJsonAsync(PathOf(record.Spec), record, SpecRunJsonContext.Default.SpecRunRecord, cancellationToken);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpecRunRecord))]
internal sealed partial class SpecRunJsonContext : JsonSerializerContext;
