namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>A runner whose lease ran out (paused, cut off) and whose task another runner took over writes nothing more.</summary>
[TestFixture]
public sealed class FencingTests
{
    private static readonly TaskKey Task1 = new("spec", "1");
    private static readonly ArtifactRecord Diff = new(ArtifactKind.Diff, "diff.patch", new Uri("file:///tmp/diff.patch"), 10, "abc");

    [Test]
    public async Task SetTaskStateAsync_AfterTakeOver_IsRefusedNamingTaskRunnerAndNewHolder()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (old, _) = await TakenOverAsync(database);

        var error = Assert.ThrowsAsync<ClaimLostException>(() => old.SetTaskStateAsync(Task1, TaskState.Done, "runner-old", CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("spec/1").And.Contain("runner-old").And.Contain("runner-new"));
        Assert.That((error.Task, error.RunnerId, error.HeldBy), Is.EqualTo((Task1, "runner-old", "runner-new")));
        Assert.That((await old.GetTaskAsync(Task1, CancellationToken.None))!.State, Is.EqualTo(TaskState.Running));
    }

    [Test]
    public async Task AppendEventAsync_AfterTakeOver_IsRefusedAndNothingIsAppended()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (old, _) = await TakenOverAsync(database);

        var error = Assert.ThrowsAsync<ClaimLostException>(() => old.AppendEventAsync(Tasks.Event(Task1, "runner-old", TaskEventTypes.TaskCompleted), CancellationToken.None));

        Assert.That(error!.HeldBy, Is.EqualTo("runner-new"));
        Assert.That(await old.GetEventsAsync(Task1, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task AddArtifactAsync_AfterTakeOver_IsRefusedAndNothingIsRecorded()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (old, _) = await TakenOverAsync(database);

        var error = Assert.ThrowsAsync<ClaimLostException>(() => old.AddArtifactAsync(Task1, Diff, "runner-old", CancellationToken.None));

        Assert.That(error!.HeldBy, Is.EqualTo("runner-new"));
        Assert.That((await old.GetTaskAsync(Task1, CancellationToken.None))!.Artifacts, Is.Empty);
    }

    [Test]
    public async Task RenewClaimAsync_AfterTakeOver_NamesTheNewHolder()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (old, _) = await TakenOverAsync(database);

        var renewed = await old.RenewClaimAsync(Task1, "runner-old", CancellationToken.None);

        Assert.That(renewed, Is.EqualTo(new TaskClaim(false, "runner-new")));
    }

    [Test]
    public async Task Writes_AfterTakeOver_TheNewHolderIsAccepted()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (_, current) = await TakenOverAsync(database);

        await current.AppendEventAsync(Tasks.Event(Task1, "runner-new", TaskEventTypes.TaskCompleted), CancellationToken.None);
        await current.AddArtifactAsync(Task1, Diff, "runner-new", CancellationToken.None);
        await current.SetTaskStateAsync(Task1, TaskState.Done, "runner-new", CancellationToken.None);

        var record = await current.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That((record!.State, record.RunnerId, record.Artifacts.Count), Is.EqualTo((TaskState.Done, "runner-new", 1)));
    }

    [Test]
    public async Task Writes_ExpiredClaimNobodyTookOver_AreRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        await registry.TryClaimTaskAsync(Task1, "runner-old", CancellationToken.None);
        await database.ExpireClaimAsync(Task1);

        var error = Assert.ThrowsAsync<ClaimLostException>(() => registry.AppendEventAsync(Tasks.Event(Task1, "runner-old"), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("expired"));
        Assert.That(error.HeldBy, Is.Null);
        Assert.ThrowsAsync<ClaimLostException>(() => registry.SetTaskStateAsync(Task1, TaskState.Done, "runner-old", CancellationToken.None));
    }

    [Test]
    public async Task Writes_OtherRunnerWhileHeld_AreRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        await registry.TryClaimTaskAsync(Task1, "runner-a", CancellationToken.None);

        var error = Assert.ThrowsAsync<ClaimLostException>(() => registry.SetTaskStateAsync(Task1, TaskState.Failed, "runner-b", CancellationToken.None));

        Assert.That(error!.HeldBy, Is.EqualTo("runner-a"));
    }

    /// <summary>runner-old (machine a) claims task 1, its lease runs out on the server's clock, runner-new (machine b) takes it over.</summary>
    private static async Task<(ITaskRegistry Old, ITaskRegistry Current)> TakenOverAsync(TestDatabase database)
    {
        var old = database.Open("machine-a").Registry;
        var current = database.Open("machine-b").Registry;
        Assert.That((await old.TryClaimTaskAsync(Task1, "runner-old", CancellationToken.None)).Claimed, Is.True);
        await database.ExpireClaimAsync(Task1);
        Assert.That((await current.TryClaimTaskAsync(Task1, "runner-new", CancellationToken.None)).Claimed, Is.True);
        return (old, current);
    }
}
