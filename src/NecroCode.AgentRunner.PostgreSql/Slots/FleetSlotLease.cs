namespace NecroCode.AgentRunner.PostgreSql;

/// <summary>A workspace slot held on one machine of the fleet, as the shared records show it.</summary>
/// <param name="MachineId">The machine whose disk the slot is on (<see cref="PostgreSqlOptions.MachineId"/>).</param>
/// <param name="SlotId">The slot.</param>
/// <param name="RunnerId">The runner that holds it.</param>
/// <param name="Task">The task it holds it for.</param>
/// <param name="AcquiredAt">When it took it (the server's clock).</param>
/// <param name="ExpiresAt">When the record lapses unless its holder's process renews it (the server's clock).</param>
public sealed record FleetSlotLease(string MachineId, string SlotId, string RunnerId, TaskKey Task, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);
