using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class SharedSlotPoolTests
{
    [Test]
    public async Task AcquireAsync_SeveralMachines_EveryoneSeesWhoHoldsWhichSlotWhere()
    {
        await using var database = await TestDatabase.CreateAsync();
        var a = database.Open("machine-a");
        var b = database.Open("machine-b");
        var poolA = a.ShareSlots(new FakeSlotPool().AddSlot("slot-1", "/a/1").AddSlot("slot-2", "/a/2"));
        var poolB = b.ShareSlots(new FakeSlotPool().AddSlot("slot-1", "/b/1"));

        await poolA.AcquireAsync(new SlotRequest(new TaskKey("spec", "1"), "runner-1"), CancellationToken.None);
        await poolB.AcquireAsync(new SlotRequest(new TaskKey("spec", "2"), "runner-2"), CancellationToken.None);

        var leases = await b.ListSlotLeasesAsync(CancellationToken.None);
        Assert.That(leases.Select(l => (l.MachineId, l.SlotId, l.RunnerId, l.Task.TaskId)), Is.EqualTo(new[] { ("machine-a", "slot-1", "runner-1", "1"), ("machine-b", "slot-1", "runner-2", "2") }));
    }

    [Test]
    public async Task ReleaseAsync_ClearsTheRecord()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleet = database.Open();
        var local = new FakeSlotPool().AddSlot("slot-1", "/a/1");
        var pool = fleet.ShareSlots(local);
        var lease = await pool.AcquireAsync(new SlotRequest(new TaskKey("spec", "1"), "runner-1"), CancellationToken.None);

        await pool.ReleaseAsync(lease, CancellationToken.None);

        Assert.That(await fleet.ListSlotLeasesAsync(CancellationToken.None), Is.Empty);
        Assert.That(local.Released, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task QuarantineAsync_ClearsTheRecord()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleet = database.Open();
        var local = new FakeSlotPool().AddSlot("slot-1", "/a/1");
        var pool = fleet.ShareSlots(local);
        var lease = await pool.AcquireAsync(new SlotRequest(new TaskKey("spec", "1"), "runner-1"), CancellationToken.None);

        await pool.QuarantineAsync(lease, "dirty", CancellationToken.None);

        Assert.That(await fleet.ListSlotLeasesAsync(CancellationToken.None), Is.Empty);
        Assert.That(local.Quarantined.Keys, Is.EqualTo(new[] { "slot-1" }));
    }

    [Test]
    public async Task Record_HolderProcessDied_LapsesWithItsLease()
    {
        await using var database = await TestDatabase.CreateAsync();
        var crashed = database.Open("machine-a");
        await crashed.ShareSlots(new FakeSlotPool().AddSlot("slot-1", "/a/1")).AcquireAsync(new SlotRequest(new TaskKey("spec", "1"), "runner-1"), CancellationToken.None);
        await crashed.DisposeAsync();

        await database.ExpireAllAsync("slot_leases");

        Assert.That(await database.Open("machine-b").ListSlotLeasesAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Record_WhileHeld_IsRenewed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleet = database.Open();
        await fleet.ShareSlots(new FakeSlotPool().AddSlot("slot-1", "/a/1")).AcquireAsync(new SlotRequest(new TaskKey("spec", "1"), "runner-1"), CancellationToken.None);
        await database.ExecuteAsync("UPDATE slot_leases SET expires_at = now() + interval '1 second'");

        await fleet.RenewLeasesAsync(CancellationToken.None);

        Assert.That((await fleet.ListSlotLeasesAsync(CancellationToken.None)).Single().ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddSeconds(20)));
    }
}
