using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.PostgreSql.Connection;
using NecroCode.AgentRunner.PostgreSql.Leases;

namespace NecroCode.AgentRunner.PostgreSql.Slots;

/// <summary>
/// A machine's own slot pool, with each lease recorded in <c>slot_leases</c> (machine, slot, runner, task) so that the
/// whole fleet can see who holds which slot where. The slots stay on the machine's disk and its pool decides who gets
/// one; the record is renewed by this process while held, deleted on release or quarantine, and lapses after one lease
/// when the process dies.
/// </summary>
internal sealed partial class SharedSlotPool(ISlotPool local, PostgreSqlDatabase database, LeaseRenewer renewer, ILogger logger) : ISlotPool
{
    private const string RecordSql = """
        INSERT INTO slot_leases AS s (machine_id, slot_id, lease_id, runner_id, spec_name, task_id, acquired_at, expires_at)
        VALUES (@machine, @slot, @lease_id, @runner, @spec, @task, now(), now() + @lease)
        ON CONFLICT (machine_id, slot_id) DO UPDATE
            SET lease_id = EXCLUDED.lease_id, runner_id = EXCLUDED.runner_id, spec_name = EXCLUDED.spec_name, task_id = EXCLUDED.task_id,
                acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
        """;

    private const string ForgetSql = "DELETE FROM slot_leases WHERE machine_id = @machine AND slot_id = @slot AND lease_id = @lease_id";

    private const string ListSql = """
        SELECT machine_id, slot_id, runner_id, spec_name, task_id, acquired_at, expires_at FROM slot_leases
        WHERE expires_at > now() ORDER BY machine_id, slot_id
        """;

    private readonly Dictionary<string, IDisposable> _renewals = new(StringComparer.Ordinal);

    /// <summary>Reads the live slot records of every machine.</summary>
    /// <param name="database">The database.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, by machine and slot.</returns>
    public static Task<IReadOnlyList<FleetSlotLease>> ListAsync(PostgreSqlDatabase database, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<FleetSlotLease>>("read the slot records", async (connection, _, ct) => await Sql.ListAsync(
            connection,
            ListSql,
            r => new FleetSlotLease(r.GetString(0), r.GetString(1), r.GetString(2), new TaskKey(r.GetString(3), r.GetString(4)), Sql.Instant(r, 5), Sql.Instant(r, 6)),
            ct).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public async Task<SlotLease> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lease = await local.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await database.RunAsync($"record slot '{lease.SlotId}'", (connection, _, ct) => Sql.ExecuteAsync(
                connection,
                RecordSql,
                ct,
                ("machine", database.Options.MachineId), ("slot", lease.SlotId), ("lease_id", lease.LeaseId), ("runner", request.RunnerId),
                ("spec", request.Task.SpecName), ("task", request.Task.TaskId), ("lease", database.Options.LeaseDuration)), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await local.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var renewal = renewer.Keep(LeaseTable.SlotLeases, lease.LeaseId, $"record of slot '{lease.SlotId}' on {database.Options.MachineId}");
        lock (_renewals)
        {
            _renewals[lease.LeaseId] = renewal;
        }

        Log.Recorded(logger, lease.SlotId, database.Options.MachineId, request.RunnerId);
        return lease;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(SlotLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await local.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
        await ForgetAsync(lease).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task QuarantineAsync(SlotLease lease, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await local.QuarantineAsync(lease, reason, cancellationToken).ConfigureAwait(false);
        await ForgetAsync(lease).ConfigureAwait(false);
    }

    private async Task ForgetAsync(SlotLease lease)
    {
        IDisposable? renewal;
        lock (_renewals)
        {
            _renewals.Remove(lease.LeaseId, out renewal);
        }

        renewal?.Dispose();
        try
        {
            // Not cancellable: the slot is already back in the local pool, and its record should not outlive it.
            await database.RunAsync($"forget slot '{lease.SlotId}'", (connection, _, ct) => Sql.ExecuteAsync(
                connection, ForgetSql, ct, ("machine", database.Options.MachineId), ("slot", lease.SlotId), ("lease_id", lease.LeaseId)), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RegistryException ex)
        {
            Log.ForgetFailed(logger, lease.SlotId, database.Options.MachineId, ex.Message);
        }
    }
}
