namespace NecroCode.AgentRunner.FileSystem;

/// <summary>Who holds a slot of the file-system pool, as its lease file says.</summary>
/// <param name="SlotId">The slot.</param>
/// <param name="RunnerId">The runner holding it.</param>
/// <param name="Task">The task it is held for.</param>
/// <param name="Host">The machine the holder runs on.</param>
/// <param name="ProcessId">The holder's process id on that machine.</param>
/// <param name="AcquiredAt">When the lease was taken.</param>
/// <param name="HolderKnownDead">
/// Whether the holder is certainly gone (this machine only; the next acquisition reclaims the slot). A holder on
/// another machine is never known dead: its lease stays until an operator breaks it.
/// </param>
public sealed record SlotLeaseInfo(string SlotId, string RunnerId, TaskKey Task, string Host, int ProcessId, DateTimeOffset AcquiredAt, bool HolderKnownDead);
