using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeBranchLockTests
{
    [Test]
    public async Task AcquireBranchAsync_BranchHeld_ConflictNamingTheHolder()
    {
        var locks = new FakeBranchLock();
        await using var held = await locks.AcquireBranchAsync("feature/a", "runner-1", TimeSpan.Zero, CancellationToken.None);

        var ex = Assert.ThrowsAsync<TaskConflictException>(() => locks.AcquireBranchAsync("feature/a", "runner-2", TimeSpan.Zero, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("runner-1"));
            Assert.That(locks.Held, Is.EqualTo(new Dictionary<string, string> { ["feature/a"] = "runner-1" }));
        });
    }

    [Test]
    public async Task AcquireBranchAsync_AfterRelease_AnotherRunnerGetsIt()
    {
        var locks = new FakeBranchLock();
        var first = await locks.AcquireBranchAsync("feature/a", "runner-1", TimeSpan.Zero, CancellationToken.None);
        await first.DisposeAsync();

        await using var second = await locks.AcquireBranchAsync("feature/a", "runner-2", TimeSpan.Zero, CancellationToken.None);

        Assert.That(locks.Held["feature/a"], Is.EqualTo("runner-2"));
    }

    [Test]
    public async Task AcquireBranchAsync_OtherBranch_HeldIndependently()
    {
        var locks = new FakeBranchLock();
        await using var a = await locks.AcquireBranchAsync("feature/a", "runner-1", TimeSpan.Zero, CancellationToken.None);

        await using var b = await locks.AcquireBranchAsync("feature/b", "runner-2", TimeSpan.Zero, CancellationToken.None);

        Assert.That(locks.Held, Has.Count.EqualTo(2));
    }
}
