namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task RollbackAsync_AfterCommitAndLeftovers_ReturnsToCleanOriginMain()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);
        GitTestRepository.Write(_repo.Slot, "README.md", "dirty\n");
        GitTestRepository.Write(_repo.Slot, "untracked.txt", "stray\n");

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("symbolic-ref", "--short", "HEAD"), Is.EqualTo("main"));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(await _repo.OriginAsync("rev-parse", "main")));
            Assert.That(await _repo.SlotStatusAsync(), Is.Empty);
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "feature.txt")), Is.False);
        }
    }

    [Test]
    public async Task RollbackAsync_MidMergeWithStaleLock_NextTaskPreparesCleanly()
    {
        var manager = CreateManager();
        await StartConflictAsync("merge", "main");
        File.WriteAllText(Path.Combine(_repo.Slot, ".git", "index.lock"), "");

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);
        var prepared = await PrepareAsync(manager, "feature/task-spec-2");

        await AssertCleanOnTaskBranchAsync(prepared, "feature/task-spec-2");
    }
}
