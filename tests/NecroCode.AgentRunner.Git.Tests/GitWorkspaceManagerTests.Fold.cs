namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task CommitAsync_AgentCommittedTwice_FoldsIntoOneCommitOnBase()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "first.txt", "one\n");
        await AgentCommitAsync("agent: first");
        GitTestRepository.Write(_repo.Slot, "second.txt", "two\n");
        await AgentCommitAsync("agent: second");
        GitTestRepository.Write(_repo.Slot, "uncommitted.txt", "three\n");

        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: runner") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);

        await AssertSingleRunnerCommitAsync(sha, prepared.BaseCommit, "A\tfirst.txt\nA\tsecond.txt\nA\tuncommitted.txt");
    }

    [Test]
    public async Task CommitAsync_AgentSwitchedToOwnBranchAndCommitted_FoldsBackOntoTaskBranch()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        await _repo.SlotAsync("checkout", "-q", "-b", "agent/scratch");
        GitTestRepository.Write(_repo.Slot, "scratch.txt", "work\n");
        File.Delete(Path.Combine(_repo.Slot, "delete.txt"));
        await AgentCommitAsync("agent: on my own branch");
        await _repo.SlotAsync("tag", "agent-tag");

        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: runner") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);

        await AssertSingleRunnerCommitAsync(sha, prepared.BaseCommit, "D\tdelete.txt\nA\tscratch.txt");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("branch", "--list", "agent/*"), Is.Empty);
            Assert.That(await _repo.SlotAsync("tag", "--list"), Is.Empty);
            Assert.That(await _repo.SlotAsync("rev-parse", "refs/heads/main"), Is.EqualTo(prepared.BaseCommit));
        }
    }

    [Test]
    public async Task CommitAsync_AgentDetachedHeadAndCommitted_FoldsBackOntoTaskBranch()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        await _repo.SlotAsync("checkout", "-q", "--detach");
        GitTestRepository.Write(_repo.Slot, "detached.txt", "work\n");
        await AgentCommitAsync("agent: detached");
        GitTestRepository.Write(_repo.Slot, "src/app.txt", "rewritten\n");

        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: runner") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);

        await AssertSingleRunnerCommitAsync(sha, prepared.BaseCommit, "A\tdetached.txt\nM\tsrc/app.txt");
    }

    [Test]
    public async Task CommitAsync_AgentDeletedTaskBranch_RecreatesItAtBase()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        await _repo.SlotAsync("checkout", "-q", "-b", "agent/other");
        await _repo.SlotAsync("branch", "-D", Branch);
        GitTestRepository.Write(_repo.Slot, "other.txt", "work\n");
        await AgentCommitAsync("agent: deleted the task branch");

        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: runner") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);

        await AssertSingleRunnerCommitAsync(sha, prepared.BaseCommit, "A\tother.txt");
    }

    [Test]
    public async Task CommitAsync_AgentLeftTaskBranchWithoutBaseCommit_ThrowsNamingBoth()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        await _repo.SlotAsync("checkout", "-q", "-b", "agent/other");
        GitTestRepository.Write(_repo.Slot, "other.txt", "work\n");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("agent/other").And.Contain(Branch));
    }

    [Test]
    public async Task CommitAsync_UnknownBaseCommit_ThrowsWorkspaceException()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => manager.CommitAsync(
            new CommitRequest(_repo.Slot, "msg") { BaseCommit = new string('a', 40) }, CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("base commit"));
    }

    [Test]
    public async Task CommitAsync_BaseCommitAndAgentDidNotCommit_CommitsOnTopOfBase()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");

        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: runner") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);

        await AssertSingleRunnerCommitAsync(sha, prepared.BaseCommit, "A\tfeature.txt");
    }

    private async Task AgentCommitAsync(string message)
    {
        await _repo.SlotAsync("add", "--all");
        await _repo.SlotAsync("-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "-q", "-m", message);
    }

    private async Task AssertSingleRunnerCommitAsync(string sha, string baseCommit, string expectedChanges)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("symbolic-ref", "--short", "HEAD"), Is.EqualTo(Branch));
            Assert.That(await _repo.SlotAsync("rev-parse", $"refs/heads/{Branch}"), Is.EqualTo(sha));
            Assert.That(await _repo.SlotAsync("rev-parse", $"{sha}^"), Is.EqualTo(baseCommit));
            Assert.That(await _repo.SlotAsync("show", "-s", "--format=%an", sha), Is.EqualTo("NecroCode Runner"));
            Assert.That(await _repo.SlotAsync("show", "--name-status", "--format=", sha), Is.EqualTo(expectedChanges));
            Assert.That(await _repo.SlotStatusAsync(), Is.Empty);
        }
    }
}
