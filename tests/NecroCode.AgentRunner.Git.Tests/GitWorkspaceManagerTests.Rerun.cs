namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PushAsync_RerunOfAPushedTask_ReplacesTheRunnersBranchWithLease()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "first run\n");
        var firstRun = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: first run"), CancellationToken.None);
        Assert.That((await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None)).Succeeded, Is.True);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "second run\n");
        var secondRun = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: second run"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(result.CommitId, Is.EqualTo(secondRun));
            Assert.That(result.Attempts, Is.EqualTo(2));
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(secondRun));
            Assert.That(_events.Warnings, Has.Some.Contains($"is replaced with {secondRun[..10]} (force-with-lease)").And.Contains(firstRun[..10]));
            Assert.That(_events.Events.OfType<RetryScheduled>(), Is.Empty);
        }
    }

    [Test]
    public async Task PushAsync_RerunWhenSomeoneAddedToTheRunnersBranch_RefusesWithoutRetry()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "first run\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: first run"), CancellationToken.None);
        await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);
        var reviewFix = await _repo.PushToOriginAsync(Branch, "review.txt", "a reviewer's fix\n");
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "second run\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: second run"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Attempts, Is.EqualTo(1));
            Assert.That(result.Error, Does.Contain("rejected").And.Contain(reviewFix[..10]).And.Contain("'Test <test@example.com>'").And.Contain("not by the runner"));
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(reviewFix));
            Assert.That(_events.Events.OfType<RetryScheduled>(), Is.Empty);
        }
    }

    [Test]
    public async Task PushAsync_RerunByAnotherRunnerIdentity_Refuses()
    {
        var other = CreateManager(o => o.AuthorName = "Another Runner");
        await PrepareAsync(other);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "first run\n");
        await other.CommitAsync(new CommitRequest(_repo.Slot, "feat: first run"), CancellationToken.None);
        await other.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "second run\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: second run"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Error, Does.Contain("'Another Runner <runner@necrocode.local>'"));
        }
    }
}
