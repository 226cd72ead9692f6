using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

public sealed partial class FileSystemSlotPoolTests
{
    [Test]
    public async Task AcquireAsync_FreshRootWithPoolSize_AddsEmptySlotsUpToTheSize()
    {
        var pool = CreateGrowingPool(poolSize: 2);

        var first = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);
        var second = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);
        var third = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-3"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.SlotId, second.SlotId }, Is.EqualTo(new[] { "slot-1", "slot-2" }));
            Assert.That(Directory.EnumerateFileSystemEntries(first.Path), Is.Empty, "the workspace provider initialises a new slot");
            Assert.That(pool.GetSlotIds(), Is.EqualTo(new[] { "slot-1", "slot-2" }));
            Assert.That(third!.Message, Does.Contain("runner-1").And.Contain("runner-2"));
        });
    }

    [Test]
    public async Task AcquireAsync_FreeSlotExists_ReusesItInsteadOfGrowing()
    {
        var pool = CreateGrowingPool(poolSize: 3);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);
        await pool.ReleaseAsync(lease, CancellationToken.None);

        var again = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again.SlotId, Is.EqualTo("slot-1"));
            Assert.That(pool.GetSlotIds(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AcquireAsync_QuarantinedName_IsNotReused()
    {
        var pool = CreateGrowingPool(poolSize: 1);
        var lease = await pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None);
        await pool.QuarantineAsync(lease, "could not be cleaned", CancellationToken.None);

        var next = await pool.AcquireAsync(new SlotRequest(Task1, "runner-2"), CancellationToken.None);

        Assert.That(next.SlotId, Is.EqualTo("slot-2"));
    }

    [Test]
    public void AcquireAsync_EmptyPoolWithoutPoolSize_SaysHowToAddSlots()
    {
        var pool = CreateGrowingPool(poolSize: 0);

        var error = Assert.ThrowsAsync<SlotUnavailableException>(() => pool.AcquireAsync(new SlotRequest(Task1, "runner-1"), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("the pool has no slots").And.Contain("NecroCode:FileSystem:PoolSize").And.Contain("NecroCode:Git:Origin"));
    }

    [Test]
    public async Task AcquireAsync_ParallelAcquirersOnAFreshRoot_NeverGrowBeyondTheSize()
    {
        var pool = CreateGrowingPool(poolSize: 3);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
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

        Assert.Multiple(() =>
        {
            Assert.That(attempts.OfType<SlotLease>().Select(l => l.SlotId).ToList(), Is.Unique.And.Count.EqualTo(3));
            Assert.That(pool.GetSlotIds(), Has.Count.EqualTo(3));
        });
    }

    private FileSystemSlotPool CreateGrowingPool(int poolSize) => new(
        Options.Create(new FileSystemOptions { RootPath = _dir.Path, PoolSize = poolSize, LockTimeout = TimeSpan.FromMinutes(1) }),
        TimeProvider.System,
        NullLogger<FileSystemSlotPool>.Instance);
}
