namespace NecroCode.AgentRunner;

/// <summary>A slot held by a runner until it is released.</summary>
/// <param name="SlotId">The slot's id.</param>
/// <param name="Path">The slot's working directory (a clone of the repository).</param>
/// <param name="LeaseId">Identifies this holding of the slot; a release must present it.</param>
public sealed record SlotLease(string SlotId, string Path, string LeaseId);
