namespace NecroCode.AgentRunner.FileSystem;

/// <summary>A slot of the file-system pool taken out of rotation because it could not be brought back clean.</summary>
/// <param name="SlotId">The slot's id.</param>
/// <param name="Reason">Why it was quarantined.</param>
/// <param name="QuarantinedAt">When.</param>
/// <param name="Path">Where its folder is now (under <c>.quarantine/</c>), for inspection or repair.</param>
public sealed record QuarantinedSlot(string SlotId, string Reason, DateTimeOffset QuarantinedAt, string Path);
