using System.Diagnostics;

namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PrepareAsync_MidRebase_AbandonsRebase()
    {
        await StartConflictAsync("rebase", "main");
        Assert.That(Directory.Exists(Path.Combine(_repo.Slot, ".git", "rebase-merge")), Is.True, "precondition: a rebase is in progress");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.Exists(Path.Combine(_repo.Slot, ".git", "rebase-merge")), Is.False);
            Assert.That(_events.Warnings, Has.Some.Contains("half-done rebase"));
        }
    }

    [Test]
    public async Task PrepareAsync_MidMerge_AbandonsMerge()
    {
        await StartConflictAsync("merge", "main");
        Assert.That(File.Exists(Path.Combine(_repo.Slot, ".git", "MERGE_HEAD")), Is.True, "precondition: a merge is in progress");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("half-done merge"));
    }

    [Test]
    public async Task PrepareAsync_MidCherryPick_AbandonsCherryPick()
    {
        await StartConflictAsync("cherry-pick", "main");
        Assert.That(File.Exists(Path.Combine(_repo.Slot, ".git", "CHERRY_PICK_HEAD")), Is.True, "precondition: a cherry-pick is in progress");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("half-done cherry-pick"));
    }

    [Test]
    public async Task PrepareAsync_MidRevert_AbandonsRevert()
    {
        await _repo.SlotAsync("checkout", "-q", "-b", "old-work");
        GitTestRepository.Write(_repo.Slot, "README.md", "first\n");
        await _repo.SlotAsync("commit", "-q", "-am", "first");
        GitTestRepository.Write(_repo.Slot, "README.md", "second\n");
        await _repo.SlotAsync("commit", "-q", "-am", "second");
        await GitTestRepository.TryRunAsync(_repo.Slot, "revert", "--no-edit", "HEAD~1");
        Assert.That(File.Exists(Path.Combine(_repo.Slot, ".git", "REVERT_HEAD")), Is.True, "precondition: a revert is in progress");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("half-done revert"));
    }

    [Test]
    public async Task PrepareAsync_StaleIndexLock_RemovesLockAndWarns()
    {
        File.WriteAllText(Path.Combine(_repo.Slot, ".git", "index.lock"), "");
        File.WriteAllText(Path.Combine(_repo.Slot, ".git", "refs", "heads", "main.lock"), "");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_events.Warnings, Has.Some.Contains(".git/index.lock"));
            Assert.That(_events.Warnings, Has.Some.Contains(".git/refs/heads/main.lock"));
        }
    }

    [Test]
    public async Task PrepareAsync_LockHeldByLiveGitProcess_RefusesAndKeepsLock()
    {
        var lockFile = Path.Combine(_repo.Slot, ".git", "index.lock");
        File.WriteAllText(lockFile, "");
        var startInfo = new ProcessStartInfo("git") { WorkingDirectory = _repo.Slot, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("cat-file");
        startInfo.ArgumentList.Add("--batch");
        using var live = Process.Start(startInfo)!;
        try
        {
            var exception = Assert.ThrowsAsync<WorkspaceException>(() => PrepareAsync(CreateManager()));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(exception!.Message, Does.Contain($"git process {live.Id}"));
                Assert.That(exception.IsTransient, Is.True);
                Assert.That(File.Exists(lockFile), Is.True);
            }
        }
        finally
        {
            live.StandardInput.Close();
            await live.WaitForExitAsync();
        }
    }

    [Test]
    public async Task PrepareAsync_CorruptIndex_RebuildsIndexAndWarns()
    {
        File.WriteAllBytes(Path.Combine(_repo.Slot, ".git", "index"), [0x44, 0x49, 0x52, 0x43, 0, 0, 0, 2, 0xff, 0xff, 0, 1, 2, 3]);
        var (exitCode, _, _) = await GitTestRepository.TryRunAsync(_repo.Slot, "status");
        Assert.That(exitCode, Is.Not.Zero, "precondition: git cannot read the index");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("corrupt index"));
    }

    /// <summary>Leaves the slot in the middle of a conflicting rebase, merge or cherry-pick.</summary>
    private async Task StartConflictAsync(string operation, string onto)
    {
        await _repo.SlotAsync("checkout", "-q", "-b", "old-work");
        GitTestRepository.Write(_repo.Slot, "README.md", "one side\n");
        await _repo.SlotAsync("commit", "-q", "-am", "one side");
        await _repo.SlotAsync("checkout", "-q", onto);
        GitTestRepository.Write(_repo.Slot, "README.md", "other side\n");
        await _repo.SlotAsync("commit", "-q", "-am", "other side");
        if (operation == "rebase")
        {
            await _repo.SlotAsync("checkout", "-q", "old-work");
            await GitTestRepository.TryRunAsync(_repo.Slot, "rebase", onto);
        }
        else
        {
            await GitTestRepository.TryRunAsync(_repo.Slot, operation, operation == "merge" ? "old-work" : "old-work");
        }
    }
}
