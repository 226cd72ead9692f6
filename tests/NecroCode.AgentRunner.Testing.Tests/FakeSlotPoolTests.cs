using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeSlotPoolTests
{
    private static readonly TaskKey Task1 = new("spec", "1");

    [Test]
    public async Task AcquireAsync_AnySlot_FirstFreeSlotByIdWithItsFolder()
    {
        var pool = new FakeSlotPool().AddSlot("slot-2", "/slots/2").AddSlot("slot-1", "/slots/1");

        var first = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);
        var second = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((first.SlotId, first.Path), Is.EqualTo(("slot-1", "/slots/1")));
            Assert.That(second.SlotId, Is.EqualTo("slot-2"));
            Assert.That(first.LeaseId, Is.Not.EqualTo(second.LeaseId));
            Assert.That(pool.Held, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task AcquireAsync_NoFreeSlot_ThrowsSlotUnavailable()
    {
        var pool = new FakeSlotPool().AddSlot("slot-1", "/slots/1");
        await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None), Throws.TypeOf<SlotUnavailableException>());
    }

    [Test]
    public void AcquireAsync_UnknownSlot_ThrowsNamingIt()
    {
        var pool = new FakeSlotPool().AddSlot("slot-1", "/slots/1");

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1", "slot-9"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("slot-9"));
    }

    [Test]
    public async Task ReleaseAsync_HeldLease_SlotFreeAgainAndRecorded()
    {
        var pool = new FakeSlotPool().AddSlot("slot-1", "/slots/1");
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        await pool.ReleaseAsync(lease, CancellationToken.None);
        var again = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2", "slot-1"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(pool.Released, Is.EqualTo(new[] { lease }));
            Assert.That(again.SlotId, Is.EqualTo("slot-1"));
        });
    }

    [Test]
    public async Task ReleaseAsync_LeaseThePoolDidNotIssue_DoesNothing()
    {
        var pool = new FakeSlotPool().AddSlot("slot-1", "/slots/1");
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        await pool.ReleaseAsync(lease with { LeaseId = "someone-else" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(pool.Released, Is.Empty);
            Assert.That(pool.Held, Is.EqualTo(new[] { lease }));
        });
    }

    [Test]
    public async Task QuarantineAsync_HeldLease_SlotLeavesThePoolWithItsReason()
    {
        var pool = new FakeSlotPool().AddSlot("slot-1", "/slots/1");
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        await pool.QuarantineAsync(lease, "rollback failed", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(pool.Quarantined, Is.EqualTo(new Dictionary<string, string> { ["slot-1"] = "rollback failed" }));
            Assert.That(pool.Held, Is.Empty);
            Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None), Throws.TypeOf<SlotUnavailableException>());
        });
    }
}
