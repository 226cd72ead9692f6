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

    /// <summary>
    /// R8.1: a run fails at <paramref name="step"/> (and is rolled back as the orchestrator does when the slot was
    /// prepared); the next task on the same slot then succeeds with exactly its own change on a branch from origin/main.
    /// </summary>
    [TestCase("prepare")]
    [TestCase("implement")]
    [TestCase("test")]
    [TestCase("commit")]
    [TestCase("push")]
    public async Task RollbackAsync_RunFailedAtStep_NextTaskOnTheSlotPushesOnlyItsOwnChange(string step)
    {
        var transport = step switch
        {
            "prepare" => new ScriptedTransport(failures: 1, GitErrorKind.Authentication, "fatal: Authentication failed", operation: "fetch"),
            "push" => new ScriptedTransport(failures: 1, GitErrorKind.Authentication, "remote: Permission denied", operation: "push"),
            _ => _transport,
        };
        var manager = CreateManager(transport: transport);
        await FailRunAtAsync(manager, step);
        const string next = "feature/task-spec-2";

        var prepared = await PrepareAsync(manager, next);
        GitTestRepository.Write(_repo.Slot, "second.txt", "the second task's change\n");
        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: second task") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);
        var result = await manager.PushAsync(new PushRequest(_repo.Slot, next, _events), CancellationToken.None);

        var originMain = await _repo.OriginAsync("rev-parse", "main");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(originMain));
            Assert.That(diff.Changes.Select(f => f.Path), Is.EqualTo(new[] { "second.txt" }));
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(await _repo.OriginAsync("rev-parse", next), Is.EqualTo(sha));
            Assert.That(await _repo.OriginAsync("rev-parse", $"{next}^"), Is.EqualTo(originMain));
            Assert.That(await _repo.OriginAsync("diff", "--name-status", "main", next), Is.EqualTo("A\tsecond.txt"));
            Assert.That(await _repo.SlotStatusAsync(), Is.Empty);
            Assert.That(await _repo.SlotAsync("status", "--porcelain", "--ignored"), Is.Empty);
        }
    }

    /// <summary>Runs the first task until it fails at <paramref name="step"/>, leaving what such a failure leaves, then rolls back when the slot was prepared.</summary>
    private async Task FailRunAtAsync(GitWorkspaceManager manager, string step)
    {
        // Leftovers of some earlier run in every case.
        GitTestRepository.Write(_repo.Slot, "README.md", "edited by an earlier run\n");
        if (step == "prepare")
        {
            Assert.ThrowsAsync<GitTransportException>(() => PrepareAsync(manager));
            return;
        }

        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "the first task's change\n");
        switch (step)
        {
            case "implement":
                // The agent committed, branched, left a half-done merge, dirty, untracked and ignored files, then gave up.
                await _repo.SlotAsync("checkout", "-q", "-b", "agent-side");
                GitTestRepository.Write(_repo.Slot, "README.md", "agent side\n");
                await _repo.SlotAsync("commit", "-q", "-am", "agent side");
                await _repo.SlotAsync("checkout", "-q", Branch);
                GitTestRepository.Write(_repo.Slot, "README.md", "task side\n");
                await _repo.SlotAsync("commit", "-q", "-am", "task side");
                await GitTestRepository.TryRunAsync(_repo.Slot, "merge", "agent-side");
                Assert.That(File.Exists(Path.Combine(_repo.Slot, ".git", "MERGE_HEAD")), Is.True);
                GitTestRepository.Write(_repo.Slot, "src/app.txt", "half-edited\n");
                GitTestRepository.Write(_repo.Slot, "scratch/notes.txt", "untracked\n");
                GitTestRepository.Write(_repo.Slot, "build/out.bin", "ignored\n");
                break;
            case "test":
                // The change was captured for the policy, then the tests failed leaving their output behind.
                await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
                GitTestRepository.Write(_repo.Slot, "build/test-results.xml", "<failed/>\n");
                GitTestRepository.Write(_repo.Slot, "test.log", "1 failed\n");
                break;
            case "commit":
                // A lock left by a git process of the agent that was killed: staging fails.
                await File.WriteAllTextAsync(Path.Combine(_repo.Slot, ".git", "index.lock"), "");
                Assert.ThrowsAsync<WorkspaceException>(() => manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: first task"), CancellationToken.None));
                break;
            case "push":
                await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: first task") { BaseCommit = prepared.BaseCommit }, CancellationToken.None);
                var push = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);
                Assert.That(push.Succeeded, Is.False);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "unknown step");
        }

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);
    }
}
