using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class FleetRunLimiterTests
{
    [Test]
    public async Task AcquireAsync_LimitReachedAcrossMachines_WaitsUntilAPermitIsGivenBack()
    {
        await using var database = await TestDatabase.CreateAsync();
        var limiters = Enumerable.Range(0, 3).Select(i => database.Open($"machine-{i}", o => o.MaxParallelRuns = 2).LimitRuns(new FakeRunConcurrencyLimiter())).ToList();
        var first = await limiters[0].AcquireAsync(CancellationToken.None);
        await using var second = await limiters[1].AcquireAsync(CancellationToken.None);

        var third = limiters[2].AcquireAsync(CancellationToken.None);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM run_permits WHERE expires_at > now()"), Is.EqualTo(2));
        Assert.That(third.IsCompleted, Is.False);
        await first.DisposeAsync();
        await using var granted = await third;

        Assert.That(await database.ScalarAsync<string>("SELECT string_agg(machine_id, ',' ORDER BY machine_id) FROM run_permits WHERE expires_at > now()"), Is.EqualTo("machine-1,machine-2"));
    }

    [Test]
    public async Task AcquireAsync_HolderCrashed_ItsPermitIsFreeOnceItsLeaseRanOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var crashed = database.Open("machine-a", o => o.MaxParallelRuns = 1);
        _ = await crashed.LimitRuns(new FakeRunConcurrencyLimiter()).AcquireAsync(CancellationToken.None);
        await crashed.DisposeAsync();
        await database.ExpireAllAsync("run_permits");

        await using var permit = await database.Open("machine-b", o => o.MaxParallelRuns = 1).LimitRuns(new FakeRunConcurrencyLimiter()).AcquireAsync(CancellationToken.None);

        Assert.That(await database.ScalarAsync<string>("SELECT machine_id FROM run_permits WHERE expires_at > now()"), Is.EqualTo("machine-b"));
    }

    [Test]
    public async Task AcquireAsync_TakesTheMachinesOwnPermitToo()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var local = new FakeRunConcurrencyLimiter(1);
        var limiter = database.Open(configure: o => o.MaxParallelRuns = 10).LimitRuns(local);

        await using (await limiter.AcquireAsync(CancellationToken.None))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            Assert.CatchAsync<OperationCanceledException>(() => limiter.AcquireAsync(cancel.Token));
        }

        Assert.That(local.Peak, Is.EqualTo(1));
    }

    [Test]
    public void LimitRuns_NoFleetWideLimit_IsTheMachinesOwn()
    {
        var fleet = new PostgreSqlFleet(new PostgreSqlOptions { ConnectionString = "Host=127.0.0.1;Database=x" });
        using var local = new FakeRunConcurrencyLimiter();

        Assert.That(fleet.LimitRuns(local), Is.SameAs(local));
    }
}
