namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    private const string Canary = "canary-7f3a9c1e-refused-change";

    [Test]
    public async Task RollbackAsync_StagedAndDiffedRefusedChange_LeavesNoBlobOfIt()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "staged.txt", $"staged {Canary}\n");
        await _repo.SlotAsync("add", "staged.txt");
        GitTestRepository.Write(_repo.Slot, "src/app.txt", $"modified {Canary}\n");
        GitTestRepository.Write(_repo.Slot, "untracked.txt", $"untracked {Canary}\n");
        await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        Assert.That(await ObjectsContainingCanaryAsync(), Is.Not.Empty, "the diff and the staging wrote blobs of the change");

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);

        Assert.That(await ObjectsContainingCanaryAsync(), Is.Empty);
    }

    [Test]
    public async Task RollbackAsync_AgentCommittedRefusedChange_LeavesNoObjectOfIt()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "on-task-branch.txt", $"task branch {Canary}\n");
        await AgentCommitAsync("agent: on the task branch");
        await _repo.SlotAsync("checkout", "-q", "-b", "agent/own");
        GitTestRepository.Write(_repo.Slot, "on-own-branch.txt", $"own branch {Canary}\n");
        await AgentCommitAsync($"agent: {Canary}");
        await _repo.SlotAsync("tag", "-a", "agent-tag", "-m", Canary);
        GitTestRepository.Write(_repo.Slot, "stashed.txt", $"stashed {Canary}\n");
        await _repo.SlotAsync("stash", "push", "--include-untracked");
        await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ObjectsContainingCanaryAsync(), Is.Empty);
            Assert.That(await _repo.SlotAsync("rev-parse", $"refs/heads/{Branch}"), Is.EqualTo(prepared.BaseCommit));
            Assert.That(await _repo.SlotAsync("for-each-ref", "--format=%(refname)", "refs/heads/agent", "refs/tags", "refs/stash"), Is.Empty);
        }
    }

    [Test]
    public async Task RollbackAsync_AfterRunnerCommit_KeepsTheCommitForResume()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", $"committed {Canary}\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: runner") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("rev-parse", $"refs/heads/{Branch}"), Is.EqualTo(sha));
            Assert.That(await ObjectsContainingCanaryAsync(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task RollbackAsync_EarlierTaskBranches_AreKept()
    {
        var manager = CreateManager();
        var first = await PrepareAsync(manager, "feature/task-spec-2");
        GitTestRepository.Write(_repo.Slot, "earlier.txt", "an earlier task\n");
        var earlier = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: earlier") { BaseCommit = first.BaseCommit }, CancellationToken.None);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "refused.txt", $"{Canary}\n");

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("rev-parse", "refs/heads/feature/task-spec-2"), Is.EqualTo(earlier));
            Assert.That(await _repo.SlotAsync("cat-file", "-t", earlier), Is.EqualTo("commit"));
        }
    }

    /// <summary>Every object in the slot's store (loose and packed) whose content holds the canary.</summary>
    private async Task<List<string>> ObjectsContainingCanaryAsync()
    {
        var listing = await _repo.SlotAsync("cat-file", "--batch-all-objects", "--batch-check=%(objectname)");
        var found = new List<string>();
        foreach (var id in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var type = await _repo.SlotAsync("cat-file", "-t", id);
            var content = await _repo.SlotAsync("cat-file", type == "tree" ? "-t" : "-p", id);
            if (content.Contains(Canary, StringComparison.Ordinal))
            {
                found.Add($"{type} {id}");
            }
        }

        return found;
    }
}
