using System.Text.Json;
using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>Who holds a lock file, written into it for diagnostics.</summary>
/// <param name="Owner">The holding process.</param>
/// <param name="AcquiredAt">When it took the lock.</param>
/// <param name="Holder">Who in that process (e.g. a runner id), when recorded.</param>
internal sealed record LockOwnerDocument(ProcessIdentity Owner, DateTimeOffset AcquiredAt, string? Holder = null)
{
    /// <summary>The holder for a message: <c>runner r-1 (pid 12 on host …)</c>, or just the process.</summary>
    /// <returns>The description.</returns>
    public string Describe() => Holder is null ? Owner.ToString() : $"{Holder} ({Owner})";
}

/// <summary>The content of a slot lease file.</summary>
/// <param name="LeaseId">The lease's id; a release must present it.</param>
/// <param name="SlotId">The slot.</param>
/// <param name="RunnerId">The runner holding it.</param>
/// <param name="Task">The task it is held for.</param>
/// <param name="Holder">The holding process.</param>
/// <param name="AcquiredAt">When it was acquired.</param>
/// <param name="TraceId">The run-level tracking id of the holder's processes, when it runs under one.</param>
internal sealed record SlotLeaseDocument(string LeaseId, string SlotId, string RunnerId, TaskKey Task, ProcessIdentity Holder, DateTimeOffset AcquiredAt, string? TraceId = null);

/// <summary>Why a slot was quarantined.</summary>
/// <param name="SlotId">The slot.</param>
/// <param name="Reason">Why.</param>
/// <param name="LeaseId">The lease under which it was quarantined.</param>
/// <param name="QuarantinedAt">When.</param>
/// <param name="By">The process that did it.</param>
internal sealed record SlotQuarantineDocument(string SlotId, string Reason, string LeaseId, DateTimeOffset QuarantinedAt, ProcessIdentity By);

/// <summary>Source-generated JSON for the file-system defaults' own documents.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LockOwnerDocument))]
[JsonSerializable(typeof(ProcessIdentity))]
[JsonSerializable(typeof(SlotLeaseDocument))]
[JsonSerializable(typeof(SlotQuarantineDocument))]
internal sealed partial class FileSystemJsonContext : JsonSerializerContext;
