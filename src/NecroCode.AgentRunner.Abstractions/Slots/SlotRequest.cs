namespace NecroCode.AgentRunner;

/// <summary>A request for a workspace slot.</summary>
/// <param name="Task">The task the slot is for.</param>
/// <param name="RunnerId">The runner asking.</param>
/// <param name="SlotId">A specific slot to acquire; any free slot when null.</param>
public sealed record SlotRequest(TaskKey Task, string RunnerId, string? SlotId = null);
