using NecroCode.AgentRunner.Cli.Commands;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.IntegrationTests.Worker;

/// <summary>
/// A worker keeps its claim alive for the whole run wherever the run executes (a container run renews nothing
/// itself), and stops the run when the claim is lost.
/// </summary>
public sealed class WorkerClaimKeeperTests
{
    private static readonly TaskKey Task1 = new("spec", "1");
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Test]
    public async Task KeepAsync_RunOutlastsSeveralLeases_ClaimStaysWithTheWorker()
    {
        var registry = new FakeTaskRegistry { LeaseDuration = TimeSpan.FromSeconds(1) };
        var claim = await ClaimAsync(registry, "worker-a");
        var lost = new List<string>();
        using var runEnded = new CancellationTokenSource();

        var keeper = WorkerClaimKeeper.KeepAsync(registry, Task1, "worker-a", claim, lost.Add, TimeProvider.System, runEnded.Token);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var rival = await ClaimAsync(registry, "worker-b");
        await runEnded.CancelAsync();
        await keeper;

        Assert.Multiple(() =>
        {
            Assert.That(claim.ExpiresAt, Is.Not.Null);
            Assert.That(rival, Is.EqualTo(new TaskClaim(false, "worker-a")));
            Assert.That(lost, Is.Empty);
        });
    }

    [Test]
    public async Task KeepAsync_TaskTakenOverMeanwhile_StopsTheRunNamingTheNewHolder()
    {
        var registry = new FakeTaskRegistry { LeaseDuration = TimeSpan.FromSeconds(1) };
        var claim = await ClaimAsync(registry, "worker-a");
        registry.ExpireClaim(Task1);
        Assert.That((await ClaimAsync(registry, "worker-b")).Claimed, Is.True);
        var lost = new List<string>();
        using var runEnded = new CancellationTokenSource();

        var keeper = WorkerClaimKeeper.KeepAsync(registry, Task1, "worker-a", claim, lost.Add, TimeProvider.System, runEnded.Token);
        var finished = await Task.WhenAny(keeper, Task.Delay(Generous)) == keeper;
        await runEnded.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(finished, Is.True, "the keeper stops once the claim is lost");
            Assert.That(lost, Has.Count.EqualTo(1));
            Assert.That(lost[0], Does.Contain("worker-b"));
        });
    }

    [Test]
    public async Task KeepAsync_RunRecordedItsOutcome_EndsQuietly()
    {
        var registry = new FakeTaskRegistry { LeaseDuration = TimeSpan.FromSeconds(1) };
        var claim = await ClaimAsync(registry, "worker-a");
        await registry.SetTaskStateAsync(Task1, TaskState.Done, "worker-a", CancellationToken.None);
        var lost = new List<string>();
        using var runEnded = new CancellationTokenSource();

        var keeper = WorkerClaimKeeper.KeepAsync(registry, Task1, "worker-a", claim, lost.Add, TimeProvider.System, runEnded.Token);
        var finished = await Task.WhenAny(keeper, Task.Delay(Generous)) == keeper;
        await runEnded.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(finished, Is.True, "a claim the run ended needs no renewal");
            Assert.That(lost, Is.Empty);
        });
    }

    [Test]
    public async Task KeepAsync_ClaimWithoutExpiry_ReturnsAtOnceWithoutRenewing()
    {
        var registry = new FakeTaskRegistry();
        var claim = await ClaimAsync(registry, "worker-a");
        var lost = new List<string>();
        using var runEnded = new CancellationTokenSource();

        var keeper = WorkerClaimKeeper.KeepAsync(registry, Task1, "worker-a", claim, lost.Add, TimeProvider.System, runEnded.Token);

        Assert.Multiple(() =>
        {
            Assert.That(claim.ExpiresAt, Is.Null);
            Assert.That(keeper.IsCompletedSuccessfully, Is.True);
            Assert.That(lost, Is.Empty);
        });
    }

    /// <summary>Registers <paramref name="runnerId"/> and claims the task for it, as a worker's run does.</summary>
    private static async Task<TaskClaim> ClaimAsync(FakeTaskRegistry registry, string runnerId)
    {
        await registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, Task1, "host", 1, DateTimeOffset.UtcNow), CancellationToken.None);
        return await registry.TryClaimTaskAsync(Task1, runnerId, CancellationToken.None);
    }
}
