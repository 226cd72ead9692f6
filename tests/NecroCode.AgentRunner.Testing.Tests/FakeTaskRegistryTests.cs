using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeTaskRegistryTests
{
    private static readonly TaskKey Task1 = new("spec", "1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Test]
    public async Task TryClaimTaskAsync_Unclaimed_ClaimedAndRunningUnderTheClock()
    {
        var registry = new FakeTaskRegistry(_time);

        var claim = await registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);

        var record = await registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(claim, Is.EqualTo(new TaskClaim(true, Fence: 1)));
            Assert.That((record!.State, record.RunnerId, record.UpdatedAt, record.Artifacts.Count), Is.EqualTo((TaskState.Running, "runner-1", _time.GetUtcNow(), 0)));
        });
    }

    [Test]
    public async Task TryClaimTaskAsync_HeldByARegisteredRunner_RefusedNamingIt()
    {
        var registry = new FakeTaskRegistry(_time);
        await registry.RegisterRunnerAsync(Registration("runner-1"), CancellationToken.None);
        await registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);

        var claim = await registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        Assert.That(claim, Is.EqualTo(new TaskClaim(false, "runner-1")));
    }

    [Test]
    public async Task TryClaimTaskAsync_HolderUnregistered_TakenOver()
    {
        var registry = new FakeTaskRegistry(_time);
        await registry.RegisterRunnerAsync(Registration("runner-1"), CancellationToken.None);
        await registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);
        await registry.UnregisterRunnerAsync("runner-1", CancellationToken.None);

        var claim = await registry.TryClaimTaskAsync(Task1, "runner-2", CancellationToken.None);

        var record = await registry.GetTaskAsync(Task1, CancellationToken.None);
        var runners = await registry.GetRunnersAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(claim.Claimed, Is.True);
            Assert.That(record!.RunnerId, Is.EqualTo("runner-2"));
            Assert.That(runners, Is.Empty);
            Assert.That(registry.RegisteredEver.Select(r => r.RunnerId), Is.EqualTo(new[] { "runner-1" }));
        });
    }

    [Test]
    public async Task SetTaskStateAsync_ClaimedTask_StateAndHolderUpdated()
    {
        var registry = new FakeTaskRegistry(_time);
        await registry.TryClaimTaskAsync(Task1, "runner-1", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));

        await registry.SetTaskStateAsync(Task1, TaskState.Done, "runner-1", CancellationToken.None);

        var record = await registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That((record!.State, record.RunnerId, record.UpdatedAt), Is.EqualTo((TaskState.Done, "runner-1", _time.GetUtcNow())));
    }

    [Test]
    public async Task AppendEventAsync_Events_ReadBackInOrderPerTask()
    {
        var registry = new FakeTaskRegistry(_time);
        var started = new TaskEvent(Task1, TaskEventTypes.TaskStarted, _time.GetUtcNow(), "runner-1");
        var completed = new TaskEvent(Task1, TaskEventTypes.TaskCompleted, _time.GetUtcNow(), "runner-1");
        await registry.AppendEventAsync(started, CancellationToken.None);
        await registry.AppendEventAsync(new TaskEvent(new TaskKey("spec", "2"), TaskEventTypes.TaskStarted, _time.GetUtcNow(), "runner-2"), CancellationToken.None);
        await registry.AppendEventAsync(completed, CancellationToken.None);

        var events = await registry.GetEventsAsync(Task1, CancellationToken.None);

        Assert.That(events, Is.EqualTo(new[] { started, completed }));
    }

    [Test]
    public async Task AddArtifactAsync_SameNameTwice_TheLaterReplacesTheEarlier()
    {
        var registry = new FakeTaskRegistry(_time);
        var first = new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("memory://a/1"), 1, "aa");
        var second = first with { Uri = new Uri("memory://a/2") };

        await registry.AddArtifactAsync(Task1, first, "runner-a", CancellationToken.None);
        await registry.AddArtifactAsync(Task1, second, "runner-a", CancellationToken.None);

        Assert.That((await registry.GetTaskAsync(Task1, CancellationToken.None))!.Artifacts, Is.EqualTo(new[] { second }));
    }

    [Test]
    public async Task TryClaimBranchAsync_ClaimedByAnotherTask_TheFirstClaimStands()
    {
        var registry = new FakeTaskRegistry(_time);
        var first = await registry.TryClaimBranchAsync("feature/x", Task1, "runner-1", CancellationToken.None);

        var second = await registry.TryClaimBranchAsync("FEATURE/X", new TaskKey("spec", "2"), "runner-2", CancellationToken.None);

        var claimed = await registry.GetBranchClaimAsync("feature/x", CancellationToken.None);
        var unclaimed = await registry.GetBranchClaimAsync("feature/y", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(second.Owner, Is.EqualTo(Task1));
            Assert.That(claimed, Is.EqualTo(first));
            Assert.That(unclaimed, Is.Null);
        });
    }

    private RunnerRegistration Registration(string runnerId) => new(runnerId, Task1, Environment.MachineName, Environment.ProcessId, _time.GetUtcNow());
}
