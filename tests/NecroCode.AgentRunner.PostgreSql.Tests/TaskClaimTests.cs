namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class TaskClaimTests
{
    private static readonly TaskKey Task1 = new("spec", "1");

    [Test]
    public async Task TryClaimTaskAsync_ManyRunnersAtOnce_ExactlyOneWins()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleets = Enumerable.Range(0, 4).Select(i => database.Open($"machine-{i}")).ToList();
        await fleets[0].StartAsync(CancellationToken.None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Task.Run(() => fleets[i % fleets.Count].Registry.TryClaimTaskAsync(Task1, $"runner-{i}", CancellationToken.None))));

        var winners = claims.Where(c => c.Claimed).ToList();
        Assert.That(winners, Has.Count.EqualTo(1));
        var record = await fleets[0].Registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Running));
        Assert.That(claims.Where(c => !c.Claimed).Select(c => c.HeldBy), Is.All.EqualTo(record.RunnerId));
    }

    [Test]
    public async Task TryClaimTaskAsync_EveryClaim_RaisesTheFenceAndSetsAnExpiry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;

        var first = await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);
        await database.ExpireClaimAsync(Task1);
        var second = await registry.TryClaimTaskAsync(Task1, "runner-b", CancellationToken.None);

        Assert.That(first.Fence, Is.EqualTo(1));
        Assert.That(second.Fence, Is.EqualTo(2));
        Assert.That(second.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddSeconds(20)));
    }

    [Test]
    public async Task TryClaimTaskAsync_LiveClaimOfAnother_IsRefusedNamingTheHolder()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);

        var claim = await registry.TryClaimTaskAsync(Task1, "runner-b", CancellationToken.None);

        Assert.That(claim, Is.EqualTo(new TaskClaim(false, "runner-a")));
    }

    [Test]
    public async Task RenewClaimAsync_LiveClaim_PushesTheExpiryOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open(configure: o => o.LeaseDuration = TimeSpan.FromMinutes(5)).Registry;
        var claim = await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);
        await database.ExecuteAsync("UPDATE tasks SET lease_expires_at = now() + interval '10 seconds'");

        var renewed = await registry.RenewClaimAsync(Task1, "runner-a", CancellationToken.None);

        Assert.That(renewed.Claimed, Is.True);
        Assert.That(renewed.Fence, Is.EqualTo(claim.Fence));
        Assert.That(renewed.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(4)));
    }

    [Test]
    public async Task RenewClaimAsync_ExpiredClaimNobodyTookOver_IsNotRevived()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);
        await database.ExpireClaimAsync(Task1);

        var renewed = await registry.RenewClaimAsync(Task1, "runner-a", CancellationToken.None);

        Assert.That(renewed, Is.EqualTo(new TaskClaim(false)));
    }

    [Test]
    public async Task Claim_ShortLeaseRunsOutForReal_AnotherRunnerTakesOver()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open(configure: o => o.LeaseDuration = TimeSpan.FromSeconds(1)).Registry;
        await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);

        // Wait on the server's clock until the lease has run out.
        while (await database.ScalarAsync<bool>("SELECT lease_expires_at > now() FROM tasks"))
        {
            await Task.Delay(100);
        }

        var takeOver = await registry.TryClaimTaskAsync(Task1, "runner-b", CancellationToken.None);
        Assert.That(takeOver.Claimed, Is.True);
        Assert.That(await registry.RenewClaimAsync(Task1, "runner-a", CancellationToken.None), Is.EqualTo(new TaskClaim(false, "runner-b")));
    }

    [Test]
    public async Task SetTaskStateAsync_HolderSetsDone_EndsTheClaim()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);

        await registry.SetTaskStateAsync(Task1, TaskState.Done, "runner-a", CancellationToken.None);

        Assert.That(await database.ScalarAsync<bool>("SELECT holder IS NULL AND lease_expires_at IS NULL FROM tasks"), Is.True);
        Assert.That((await registry.TryClaimTaskAsync(Task1, "runner-b", CancellationToken.None)).Claimed, Is.True);
    }

    [Test]
    public async Task Writes_UnheldTask_AreAccepted()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        var artifact = new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("file:///tmp/diff.patch"), 10, "abc");

        await registry.SetTaskStateAsync(Task1, TaskState.Failed, "runner-a", CancellationToken.None);
        await registry.AppendEventAsync(Tasks.Event(Task1, "runner-b"), CancellationToken.None);
        await registry.AddArtifactAsync(Task1, artifact, "runner-c", CancellationToken.None);

        var record = await registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
        Assert.That(record.Artifacts, Is.EqualTo(new[] { artifact }));
        Assert.That(await registry.GetEventsAsync(Task1, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetRunnersAsync_RegistrationsExpireWithTheirClaims()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        await registry.RegisterRunnerAsync(new RunnerRegistration("runner-a", Task1, "machine-a", 42, DateTimeOffset.UtcNow), CancellationToken.None);
        await registry.RegisterRunnerAsync(new RunnerRegistration("runner-b", new TaskKey("spec", "2"), "machine-b", 43, DateTimeOffset.UtcNow), CancellationToken.None);
        await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);

        await database.ExecuteAsync("UPDATE runners SET expires_at = now() - interval '1 second' WHERE runner_id = 'runner-b'");

        Assert.That((await registry.GetRunnersAsync(CancellationToken.None)).Select(r => r.RunnerId), Is.EqualTo(new[] { "runner-a" }));
    }
}
