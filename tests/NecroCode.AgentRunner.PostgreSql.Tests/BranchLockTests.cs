namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class BranchLockTests
{
    [Test]
    public async Task AcquireBranchAsync_HeldOnAnotherMachine_IsAConflictNamingTheHolder()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var held = await database.Open("machine-a").BranchLock.AcquireBranchAsync("feature/x", "runner-a", TimeSpan.Zero, CancellationToken.None);

        var error = Assert.ThrowsAsync<TaskConflictException>(() => database.Open("machine-b").BranchLock.AcquireBranchAsync("Feature/X", "runner-b", TimeSpan.Zero, CancellationToken.None));

        Assert.That(error!.HeldBy, Is.EqualTo("runner-a"));
        Assert.That(error.Message, Does.Contain("machine-a").And.Contain("runner-b"));
    }

    [Test]
    public async Task AcquireBranchAsync_HolderLetsGo_TheWaiterGetsIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var held = await database.Open("machine-a").BranchLock.AcquireBranchAsync("main", "runner-a", TimeSpan.Zero, CancellationToken.None);
        var waiter = database.Open("machine-b").BranchLock.AcquireBranchAsync("main", "runner-b", TimeSpan.FromMinutes(2), CancellationToken.None);

        await held.DisposeAsync();
        await using var second = await waiter;

        Assert.That(await database.ScalarAsync<string>("SELECT runner_id FROM branch_locks"), Is.EqualTo("runner-b"));
    }

    [Test]
    public async Task AcquireBranchAsync_HolderCrashed_IsFreeOnceItsLeaseRanOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var crashed = database.Open("machine-a");
        _ = await crashed.BranchLock.AcquireBranchAsync("main", "runner-a", TimeSpan.Zero, CancellationToken.None);
        await crashed.DisposeAsync();
        await database.ExpireAllAsync("branch_locks");

        await using var taken = await database.Open("machine-b").BranchLock.AcquireBranchAsync("main", "runner-b", TimeSpan.Zero, CancellationToken.None);

        Assert.That(await database.ScalarAsync<string>("SELECT machine_id FROM branch_locks"), Is.EqualTo("machine-b"));
    }

    [Test]
    public async Task HeldLock_IsRenewedByItsProcess()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleet = database.Open();
        await using var held = await fleet.BranchLock.AcquireBranchAsync("main", "runner-a", TimeSpan.Zero, CancellationToken.None);
        await database.ExecuteAsync("UPDATE branch_locks SET expires_at = now() + interval '1 second'");

        await fleet.RenewLeasesAsync(CancellationToken.None);

        Assert.That(await database.ScalarAsync<bool>("SELECT expires_at > now() + interval '20 seconds' FROM branch_locks"), Is.True);
    }

    [Test]
    public async Task DisposeAsync_Held_DeletesTheRow()
    {
        await using var database = await TestDatabase.CreateAsync();
        var held = await database.Open().BranchLock.AcquireBranchAsync("main", "runner-a", TimeSpan.Zero, CancellationToken.None);

        await held.DisposeAsync();

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM branch_locks"), Is.Zero);
    }
}
