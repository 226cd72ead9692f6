using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed partial class FileSystemSlotPoolTests
{
    private static readonly TaskKey Task1 = new("spec", "task-1");
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task AcquireAsync_ParallelAcquirers_NeverShareSlot()
    {
        var pool = CreatePool(4);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                return await pool.AcquireAsync(new SlotRequest(Task1, $"runner-{i}"), CancellationToken.None);
            }
            catch (SlotUnavailableException)
            {
                return null;
            }
        })));

        var leases = attempts.OfType<SlotLease>().ToList();
        Assert.That(leases.Select(l => l.SlotId).ToList(), Is.Unique.And.Count.EqualTo(4));
    }

    [Test]
    public async Task AcquireAsync_SpecificSlotBusy_ThrowsNamingHolder()
    {
        var pool = CreatePool(2);
        await pool.AcquireAsync(new SlotRequest(Task1, "runner-1", "slot-0"), CancellationToken.None);

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-2", "slot-0"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("slot-0").And.Contain("runner-1"));
    }

    [Test]
    public void AcquireAsync_UnknownSlot_ThrowsNamingSlot()
    {
        var pool = CreatePool(1);

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1", "nope"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("nope").And.Contain("no such slot"));
    }

    [Test]
    public void AcquireAsync_UnsafeSlotId_ThrowsArgumentException()
    {
        var pool = CreatePool(1);

        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1", "../slot-0"), CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public async Task AcquireAsync_AllBusyWithTimeout_WaitsForRelease()
    {
        var pool = CreatePool(1, TimeSpan.FromMinutes(2));
        var first = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        var waiting = pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);
        await pool.ReleaseAsync(first, CancellationToken.None);
        var second = await waiting;

        Assert.That((second.SlotId, second.LeaseId == first.LeaseId), Is.EqualTo(("slot-0", false)));
    }

    [Test]
    public async Task ReleaseAsync_WrongLeaseId_KeepsLease()
    {
        var pool = CreatePool(1);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        await pool.ReleaseAsync(lease with { LeaseId = "forged" }, CancellationToken.None);

        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None), Throws.TypeOf<SlotUnavailableException>());
    }

    [Test]
    public async Task ReleaseAsync_Twice_SecondIsNoOp()
    {
        var pool = CreatePool(1);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);
        await pool.ReleaseAsync(lease, CancellationToken.None);
        var next = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);

        await pool.ReleaseAsync(lease, CancellationToken.None);

        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-3"), CancellationToken.None), Throws.TypeOf<SlotUnavailableException>());
        Assert.That(next.SlotId, Is.EqualTo(lease.SlotId));
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireAsync_LeaseOfDeadProcess_IsReclaimed()
    {
        var pool = CreatePool(1);
        ProcessIdentity holder;
        using (var sleeper = ChildProcess.Sleep())
        {
            holder = ProcessIdentity.Of(sleeper.Id)!;
            sleeper.Kill();
        }

        WriteLease(pool, "slot-0", holder);

        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        Assert.That(lease.SlotId, Is.EqualTo("slot-0"));
    }

    [Test]
    [Category("Integration")]
    public void AcquireAsync_LeaseOfLiveProcess_IsRespected()
    {
        var pool = CreatePool(1);
        using var sleeper = ChildProcess.Sleep();
        WriteLease(pool, "slot-0", ProcessIdentity.Of(sleeper.Id)!);

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"pid {sleeper.Id}"));
    }

    [Test]
    [Category("Integration")]
    public void AcquireAsync_LeaseWhosePidWasReused_IsReclaimed()
    {
        var pool = CreatePool(1);
        using var sleeper = ChildProcess.Sleep();
        WriteLease(pool, "slot-0", ProcessIdentity.Of(sleeper.Id)! with { StartTime = "1" });

        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None), Throws.Nothing);
    }

    [Test]
    public void AcquireAsync_LeaseFromOtherHost_IsRespected()
    {
        var pool = CreatePool(1);
        WriteLease(pool, "slot-0", new ProcessIdentity(999_999, "another-host", "1", "boot"));

        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None), Throws.TypeOf<SlotUnavailableException>());
    }

    [Test]
    public async Task QuarantineAsync_LeasedSlot_LeavesRotationWithReason()
    {
        var pool = CreatePool(2);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1", "slot-0"), CancellationToken.None);

        await pool.QuarantineAsync(lease, "git clean failed", CancellationToken.None);

        var moved = Path.Combine(pool.RootPath, ".quarantine", "slot-0");
        Assert.That(pool.GetSlotIds(), Is.EqualTo(new[] { "slot-1" }));
        Assert.That(Directory.Exists(moved), Is.True);
        Assert.That(await File.ReadAllTextAsync(moved + ".reason.json"), Does.Contain("git clean failed"));
        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-2", "slot-0"), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("quarantined"));
    }

    [Test]
    public async Task QuarantineAsync_NotCurrentLease_DoesNothing()
    {
        var pool = CreatePool(1);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);
        await pool.ReleaseAsync(lease, CancellationToken.None);
        var next = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);

        await pool.QuarantineAsync(lease, "stale caller", CancellationToken.None);

        Assert.That(pool.GetSlotIds(), Is.EqualTo(new[] { "slot-0" }));
        Assert.That(Directory.Exists(Path.Combine(pool.RootPath, ".quarantine")), Is.False);
        Assert.That(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-3"), CancellationToken.None), Throws.TypeOf<SlotUnavailableException>(), "the current lease must stay in force");
        Assert.That(next.SlotId, Is.EqualTo("slot-0"));
    }

    [Test]
    public void AcquireAsync_EmptyPool_ThrowsClearMessage()
    {
        var pool = CreatePool(0);

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("no slots").And.Contain(pool.RootPath));
    }

    [Test]
    public async Task GetQuarantinedSlots_AfterQuarantine_ListsSlotWithReason()
    {
        var pool = CreatePool(2);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1", "slot-0"), CancellationToken.None);

        await pool.QuarantineAsync(lease, "rollback failed: bad HEAD", CancellationToken.None);

        var quarantined = pool.GetQuarantinedSlots();
        Assert.That(quarantined.Select(q => (q.SlotId, q.Reason, q.Path)), Is.EqualTo(new[] { ("slot-0", "rollback failed: bad HEAD", Path.Combine(pool.RootPath, ".quarantine", "slot-0")) }));
    }

    [Test]
    public async Task BreakLeaseAsync_HolderOnAnotherHost_SlotAcquirableAgain()
    {
        var pool = CreatePool(1);
        WriteLease(pool, "slot-0", new ProcessIdentity(4242, "another-host", "1", "boot"));

        var broken = await pool.BreakLeaseAsync("slot-0", CancellationToken.None);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(broken, Is.Not.Null);
            Assert.That((broken!.RunnerId, broken.Host, broken.ProcessId), Is.EqualTo(("runner-0", "another-host", 4242)));
            Assert.That(lease.SlotId, Is.EqualTo("slot-0"));
        });
    }

    [Test]
    public async Task BreakLeaseAsync_LiveHolderOnThisHost_RefusedAndLeaseKept()
    {
        var pool = CreatePool(1);
        await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.BreakLeaseAsync("slot-0", CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("runner-1").And.Contain("live process"));
        Assert.That(pool.GetLeases().Select(l => l.RunnerId), Is.EqualTo(new[] { "runner-1" }));
    }

    [Test]
    public async Task AcquireAsync_StaleLeaseWithTrackingId_ReportsItAndLeavesItsProcessesToTheCaller()
    {
        var pool = CreatePool(1);
        var trackingId = Guid.NewGuid().ToString("N");
        using var leftover = LeftoverProcess.Start(trackingId);
        WriteLease(pool, "slot-0", new ProcessIdentity(999_999, Environment.MachineName, "1", null), trackingId);

        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lease.StaleProcessTrackingId, Is.EqualTo(trackingId));
            Assert.That(leftover.Process.HasExited, Is.False, "the pool stopped the dead holder's process itself");
        });
    }

    [Test]
    public async Task AcquireAsync_FreeSlot_ReportsNoStaleTrackingId()
    {
        var pool = CreatePool(1);

        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1") { ProcessTrackingId = "abc" }, CancellationToken.None);

        Assert.That(lease.StaleProcessTrackingId, Is.Null);
    }

    [Test]
    public async Task AcquireAsync_HolderDiesLater_NextLeaseReportsTheHoldersTrackingId()
    {
        var pool = CreatePool(1);
        await pool.AcquireAsync(new SlotRequest(Task1, "runner-1") { ProcessTrackingId = "first-run" }, CancellationToken.None);
        MakeHolderDead(pool, "slot-0");

        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2") { ProcessTrackingId = "second-run" }, CancellationToken.None);

        Assert.That(lease.StaleProcessTrackingId, Is.EqualTo("first-run"));
    }

    private static void MakeHolderDead(FileSystemSlotPool pool, string slotId)
    {
        var path = Path.Combine(pool.RootPath, ".leases", slotId + ".lease");
        var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), FileSystemJsonContext.Default.SlotLeaseDocument)!;
        var dead = document with { Holder = document.Holder with { ProcessId = 999_999, StartTime = "1" } };
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(dead, FileSystemJsonContext.Default.SlotLeaseDocument));
    }

    private static void WriteLease(FileSystemSlotPool pool, string slotId, ProcessIdentity holder, string? traceId = null)
    {
        var leases = Path.Combine(pool.RootPath, ".leases");
        Directory.CreateDirectory(leases);
        var document = new SlotLeaseDocument("stale", slotId, "runner-0", Task1, holder, DateTimeOffset.UnixEpoch, traceId);
        File.WriteAllBytes(Path.Combine(leases, slotId + ".lease"), JsonSerializer.SerializeToUtf8Bytes(document, FileSystemJsonContext.Default.SlotLeaseDocument));
    }

    private FileSystemSlotPool CreatePool(int slots, TimeSpan? acquireTimeout = null)
    {
        var options = new FileSystemOptions
        {
            RootPath = _dir.Path,
            SlotAcquireTimeout = acquireTimeout ?? TimeSpan.Zero,
            SlotPollInterval = TimeSpan.FromMilliseconds(20),
            LockTimeout = TimeSpan.FromMinutes(1),
        };
        for (var i = 0; i < slots; i++)
        {
            Directory.CreateDirectory(Path.Combine(options.GetSlotsPath(), $"slot-{i}"));
        }

        return new FileSystemSlotPool(Options.Create(options), TimeProvider.System, NullLogger<FileSystemSlotPool>.Instance);
    }
}
