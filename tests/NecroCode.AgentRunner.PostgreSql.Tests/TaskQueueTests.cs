namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class TaskQueueTests
{
    [Test]
    public async Task ClaimNextAsync_PendingOldestFirst_ThenExpiredRunning()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        foreach (var id in new[] { "1", "2", "3" })
        {
            await queue.EnqueueAsync(Tasks.Definition(id), CancellationToken.None);
        }

        var first = await queue.ClaimNextAsync("runner-a", CancellationToken.None);
        await database.ExpireClaimAsync(first!.Entry.Task);
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await queue.ClaimNextAsync("runner-b", CancellationToken.None))!.Entry.Task.TaskId);
        }

        Assert.That(first.Entry.Task.TaskId, Is.EqualTo("1"));
        Assert.That(order, Is.EqualTo(new[] { "2", "3", "1" }));
        Assert.That(await queue.ClaimNextAsync("runner-c", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TryClaimTaskAsync_ByTheHolderOfTheQueueClaim_CountsNoSecondClaim()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleet = database.Open();
        await fleet.Queue.EnqueueAsync(Tasks.Definition("5"), CancellationToken.None);
        var claimed = await fleet.Queue.ClaimNextAsync("runner-a", CancellationToken.None);

        var again = await fleet.Registry.TryClaimTaskAsync(claimed!.Entry.Task, "runner-a", CancellationToken.None);
        var entry = await fleet.Queue.GetAsync(claimed.Entry.Task, CancellationToken.None);

        Assert.That(again.Claimed, Is.True);
        Assert.That((entry!.Entry.State, entry.Entry.RunnerId, entry.Entry.Claims), Is.EqualTo((TaskState.Running, "runner-a", 1)));
    }

    [Test]
    public async Task ClaimNextAsync_ReturnsTheDefinitionAndTheClaim()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        var definition = Tasks.Definition("7");
        await queue.EnqueueAsync(definition, CancellationToken.None);

        var claimed = await queue.ClaimNextAsync("runner-a", CancellationToken.None);

        Assert.That(claimed!.Definition.Title, Is.EqualTo(definition.Title));
        Assert.That((claimed.Entry.State, claimed.Entry.RunnerId, claimed.Entry.Claims), Is.EqualTo((TaskState.Running, "runner-a", 1)));
        Assert.That((claimed.Claim!.Claimed, claimed.Claim.Fence), Is.EqualTo((true, 1L)));
    }

    [Test]
    public async Task ClaimNextAsync_ManyWorkersAtOnce_EachGetsADifferentTask()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleets = Enumerable.Range(0, 4).Select(i => database.Open($"machine-{i}")).ToList();
        for (var i = 0; i < 40; i++)
        {
            await fleets[0].Queue.EnqueueAsync(Tasks.Definition(i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        }

        var claimed = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Task.Run(() => fleets[i % 4].Queue.ClaimNextAsync($"runner-{i}", CancellationToken.None))));

        Assert.That(claimed, Is.All.Not.Null);
        Assert.That(claimed.Select(c => c!.Entry.Task).Distinct().Count(), Is.EqualTo(32));
        Assert.That(await fleets[0].Queue.ListAsync(TaskState.Pending, CancellationToken.None), Has.Count.EqualTo(8));
    }

    [Test]
    public async Task EnqueueAsync_RunningUnderALiveClaim_IsAConflictNamingTheHolder()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        await queue.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None);
        await queue.ClaimNextAsync("runner-a", CancellationToken.None);

        var error = Assert.ThrowsAsync<TaskConflictException>(() => queue.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None));

        Assert.That(error!.HeldBy, Is.EqualTo("runner-a"));
    }

    [Test]
    public async Task EnqueueAsync_WaitingTask_ReplacesItsDefinition()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        await queue.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None);
        var changed = Tasks.Definition("1") with { Title = "Changed" };

        await queue.EnqueueAsync(changed, CancellationToken.None);

        Assert.That((await queue.GetAsync(new TaskKey("spec", "1"), CancellationToken.None))!.Definition.Title, Is.EqualTo("Changed"));
        Assert.That(await queue.ListAsync(null, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ReturnAsync_Holder_PutsTheTaskBackForTheNextWorker()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        await queue.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None);
        var claimed = await queue.ClaimNextAsync("runner-a", CancellationToken.None);

        await queue.ReturnAsync(claimed!.Entry.Task, "runner-a", CancellationToken.None);
        var again = await queue.ClaimNextAsync("runner-b", CancellationToken.None);

        Assert.That((again!.Entry.Task, again.Entry.Claims, again.Claim!.Fence), Is.EqualTo((claimed.Entry.Task, 2, 2L)));
    }

    [Test]
    public async Task ReturnAsync_NotTheHolder_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        await queue.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None);
        var claimed = await queue.ClaimNextAsync("runner-a", CancellationToken.None);

        var error = Assert.ThrowsAsync<ClaimLostException>(() => queue.ReturnAsync(claimed!.Entry.Task, "runner-b", CancellationToken.None));

        Assert.That(error!.HeldBy, Is.EqualTo("runner-a"));
    }

    [Test]
    public async Task DoneTask_LeavesTheQueue()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fleet = database.Open();
        await fleet.Queue.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None);
        var claimed = await fleet.Queue.ClaimNextAsync("runner-a", CancellationToken.None);

        await fleet.Registry.SetTaskStateAsync(claimed!.Entry.Task, TaskState.Done, "runner-a", CancellationToken.None);

        Assert.That(await fleet.Queue.ClaimNextAsync("runner-b", CancellationToken.None), Is.Null);
        Assert.That((await fleet.Queue.ListAsync(TaskState.Done, CancellationToken.None)).Single().RunnerId, Is.EqualTo("runner-a"));
    }

    [Test]
    public async Task WaitForWorkAsync_EnqueueOnAnotherMachine_WakesTheWaiter()
    {
        await using var database = await TestDatabase.CreateAsync();
        var worker = database.Open("machine-a").Queue;
        var producer = database.Open("machine-b").Queue;
        Assert.That(await worker.ClaimNextAsync("runner-a", CancellationToken.None), Is.Null);
        await worker.WaitForWorkAsync(TimeSpan.FromSeconds(30), CancellationToken.None); // returns once the listener listens

        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var woken = new TaskCompletionSource();
        var wait = Task.Run(async () =>
        {
            Assert.That(await worker.ClaimNextAsync("runner-a", CancellationToken.None), Is.Null);
            woken.SetResult();
            await worker.WaitForWorkAsync(TimeSpan.FromMinutes(10), guard.Token);
        });
        await woken.Task;
        await producer.EnqueueAsync(Tasks.Definition("1"), CancellationToken.None);

        await wait;
        Assert.That(guard.IsCancellationRequested, Is.False, "the wait ended by a notification, not by the guard");
        Assert.That(await worker.ClaimNextAsync("runner-a", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task WaitForWorkAsync_NothingHappens_ReturnsAtTheTimeout()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        await queue.ClaimNextAsync("runner-a", CancellationToken.None);
        await queue.WaitForWorkAsync(TimeSpan.FromSeconds(30), CancellationToken.None); // returns once the listener listens
        await queue.ClaimNextAsync("runner-a", CancellationToken.None);

        var wait = queue.WaitForWorkAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.That(await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMinutes(1))), Is.SameAs(wait));
    }

    [Test]
    public async Task WaitForWorkAsync_NoTimeout_WaitsUntilCancelled()
    {
        await using var database = await TestDatabase.CreateAsync();
        var queue = database.Open().Queue;
        await queue.ClaimNextAsync("runner-a", CancellationToken.None);
        await queue.WaitForWorkAsync(TimeSpan.FromSeconds(30), CancellationToken.None); // returns once the listener listens
        await queue.ClaimNextAsync("runner-a", CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.CatchAsync<OperationCanceledException>(() => queue.WaitForWorkAsync(Timeout.InfiniteTimeSpan, cancel.Token));
    }
}
