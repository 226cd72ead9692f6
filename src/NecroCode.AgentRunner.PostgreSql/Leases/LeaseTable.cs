namespace NecroCode.AgentRunner.PostgreSql.Leases;

/// <summary>A table of leases: its name and the column of the lease id.</summary>
/// <param name="Name">The table.</param>
/// <param name="IdColumn">The column that identifies a lease.</param>
internal sealed record LeaseTable(string Name, string IdColumn)
{
    /// <summary>Branch locks.</summary>
    public static LeaseTable BranchLocks { get; } = new("branch_locks", "lease_id");

    /// <summary>Slot records.</summary>
    public static LeaseTable SlotLeases { get; } = new("slot_leases", "lease_id");

    /// <summary>Run permits.</summary>
    public static LeaseTable RunPermits { get; } = new("run_permits", "permit_id");
}
