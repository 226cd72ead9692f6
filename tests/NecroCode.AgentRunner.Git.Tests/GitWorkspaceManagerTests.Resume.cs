namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PrepareAsync_ResumeCommit_ChecksOutTheBranchThereAndStillFetches()
    {
        var manager = CreateManager();
        var first = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var resume = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: first part"), CancellationToken.None);
        await _repo.SlotAsync("checkout", "-q", "main");
        GitTestRepository.Write(_repo.Slot, "leftover.txt", "from a crash\n");

        var prepared = await ResumeAsync(manager, resume);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared, Is.EqualTo(new PreparedWorkspace(_repo.Slot, Branch, first.BaseCommit)));
            Assert.That(await _repo.SlotAsync("symbolic-ref", "--short", "HEAD"), Is.EqualTo(Branch));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(resume));
            Assert.That(await _repo.SlotStatusAsync(), Is.Empty);
            Assert.That(_transport.Fetches, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task PrepareAsync_ResumeAfterMainMoved_BaseIsWhereTheTaskBranchLeftMain()
    {
        var manager = CreateManager();
        var first = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var resume = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: first part"), CancellationToken.None);
        var newMain = await _repo.PushToOriginAsync("main", "other.txt", "someone else's change\n");

        var prepared = await ResumeAsync(manager, resume);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(first.BaseCommit));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(resume));
            Assert.That(await _repo.SlotAsync("rev-parse", "refs/remotes/origin/main"), Is.EqualTo(newMain));
            Assert.That(await _repo.SlotAsync("rev-parse", "refs/heads/main"), Is.EqualTo(newMain));
        }
    }

    [TestCase("0123456789abcdef0123456789abcdef01234567")]
    [TestCase("not-a-commit")]
    [TestCase(" ")]
    public async Task PrepareAsync_ResumeCommitNotInSlot_ThrowsClearError(string resume)
    {
        var manager = CreateManager();

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => ResumeAsync(manager, resume));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain("Cannot resume").And.Contain("is not in the slot"));
            Assert.That(exception.IsTransient, Is.False);
        }
    }

    [Test]
    public async Task PrepareAsync_ResumeAtATree_ThrowsClearError()
    {
        var manager = CreateManager();
        var tree = await _repo.SlotAsync("rev-parse", "HEAD^{tree}");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => ResumeAsync(manager, tree));

        Assert.That(exception!.Message, Does.Contain(tree).And.Contain("is not in the slot"));
    }

    private Task<PreparedWorkspace> ResumeAsync(GitWorkspaceManager manager, string resumeCommit) =>
        manager.PrepareAsync(
            new WorkspaceRequest(_repo.Slot, Branch, new TaskKey("spec", "1"), _events) { ResumeCommit = resumeCommit },
            CancellationToken.None);
}
