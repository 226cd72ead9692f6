using System.Diagnostics;

namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PrepareAsync_CleanSlot_CreatesTaskBranchAtOriginMainWithoutWarnings()
    {
        var manager = CreateManager();

        var prepared = await PrepareAsync(manager);

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Is.Empty);
    }

    [Test]
    public async Task PrepareAsync_OriginMovedOnAfterClone_StartsFromNewOriginMain()
    {
        var newTip = await _repo.PushToOriginAsync("main", "later.txt", "added after the slot was cloned\n");

        var prepared = await PrepareAsync(CreateManager());

        Assert.That(prepared.BaseCommit, Is.EqualTo(newTip));
        await AssertCleanOnTaskBranchAsync(prepared);
    }

    [Test]
    public async Task PrepareAsync_ModifiedTrackedFile_DiscardsChangeAndWarns()
    {
        GitTestRepository.Write(_repo.Slot, "README.md", "changed by a crashed run\n");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("1 modified file"));
    }

    [Test]
    public async Task PrepareAsync_UntrackedAndIgnoredFiles_RemovesThemAndWarns()
    {
        GitTestRepository.Write(_repo.Slot, "stray/new.txt", "left behind\n");
        GitTestRepository.Write(_repo.Slot, "debug.log", "ignored\n");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "stray/new.txt")), Is.False);
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "debug.log")), Is.False);
            Assert.That(_events.Warnings, Has.Some.Contains("1 untracked file"));
        }
    }

    [Test]
    public async Task PrepareAsync_KeepIgnoredFilesConfigured_KeepsMatchingIgnoredFiles()
    {
        GitTestRepository.Write(_repo.Slot, "build/cache.bin", "expensive cache\n");
        GitTestRepository.Write(_repo.Slot, "debug.log", "ignored\n");

        await PrepareAsync(CreateManager(o => o.KeepIgnoredFiles.Add("build/")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "build/cache.bin")), Is.True);
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "debug.log")), Is.False);
        }
    }

    [Test]
    public async Task PrepareAsync_StagedChanges_DiscardsThemAndWarns()
    {
        GitTestRepository.Write(_repo.Slot, "staged.txt", "staged\n");
        GitTestRepository.Write(_repo.Slot, "README.md", "staged change\n");
        await _repo.SlotAsync("add", "-A");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("2 staged files"));
    }

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
    public async Task PrepareAsync_DetachedHead_ChecksOutTaskBranchAndWarns()
    {
        await _repo.SlotAsync("checkout", "-q", "--detach", "HEAD~1");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        Assert.That(_events.Warnings, Has.Some.Contains("detached"));
    }

    [Test]
    public async Task PrepareAsync_OldFeatureBranchCheckedOut_SwitchesToNewTaskBranch()
    {
        await _repo.SlotAsync("checkout", "-q", "-b", "feature/task-spec-0");
        GitTestRepository.Write(_repo.Slot, "old.txt", "old task\n");
        await _repo.SlotAsync("add", "-A");
        await _repo.SlotAsync("commit", "-q", "-m", "old task");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "old.txt")), Is.False);
            Assert.That(_events.Warnings, Has.Some.Contains("'feature/task-spec-0'"));
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

    [Test]
    public async Task PrepareAsync_RemoteTrackingRefMissing_FetchesItAgain()
    {
        await _repo.SlotAsync("update-ref", "-d", "refs/remotes/origin/main");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
    }

    [Test]
    public async Task PrepareAsync_OriginMainRewritten_FollowsRewrittenMain()
    {
        var rewritten = await _repo.OriginAsync("rev-parse", "main~1");
        await _repo.OriginAsync("update-ref", "refs/heads/main", rewritten);

        var prepared = await PrepareAsync(CreateManager());

        Assert.That(prepared.BaseCommit, Is.EqualTo(rewritten));
        await AssertCleanOnTaskBranchAsync(prepared);
    }

    [Test]
    public async Task PrepareAsync_SameTaskAgain_RebuildsBranchFromOriginMainAndWarns()
    {
        var manager = CreateManager();
        var first = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "work.txt", "first attempt\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "first attempt"), CancellationToken.None);

        var second = await PrepareAsync(manager);

        await AssertCleanOnTaskBranchAsync(second);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.BaseCommit, Is.EqualTo(first.BaseCommit));
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "work.txt")), Is.False);
            Assert.That(_events.Warnings, Has.Some.Contains("Re-run"));
        }
    }

    [Test]
    public async Task PrepareAsync_TransientFetchFailure_RetriesAndPublishesRetryEvent()
    {
        var transport = new ScriptedTransport(failures: 2, operation: "fetch");

        var prepared = await PrepareAsync(CreateManager(transport: transport));

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(transport.Fetches, Is.EqualTo(3));
            Assert.That(_events.Events.OfType<RetryScheduled>().Select(e => (e.Operation, e.Attempt)), Is.EqualTo(new[] { ("fetch", 1), ("fetch", 2) }));
        }
    }

    [Test]
    public void PrepareAsync_AuthenticationFailureOnFetch_FailsWithoutRetry()
    {
        var transport = new ScriptedTransport(failures: 5, GitErrorKind.Authentication, "fatal: Authentication failed", "fetch");

        Assert.ThrowsAsync<GitTransportException>(() => PrepareAsync(CreateManager(transport: transport)));

        Assert.That(transport.Fetches, Is.EqualTo(1));
    }

    [Test]
    public async Task PrepareAsync_RemoteWithoutMainBranch_FailsWithClearError()
    {
        await _repo.OriginAsync("branch", "-m", "main", "trunk");

        var exception = Assert.ThrowsAsync<GitTransportException>(() => PrepareAsync(CreateManager()));

        Assert.That(exception!.Message, Does.Contain("main"));
    }

    [TestCase("main")]
    [TestCase("release/1.0")]
    [TestCase("HEAD:main")]
    public void PrepareAsync_ProtectedOrInvalidTaskBranch_Throws(string branch)
    {
        var exception = Assert.ThrowsAsync<WorkspaceException>(() => PrepareAsync(CreateManager(), branch));

        Assert.That(exception!.Message, Does.Contain("cannot be a task branch"));
    }

    [Test]
    public void PrepareAsync_PathIsNotRepository_ThrowsNamingPath()
    {
        var folder = Path.Combine(_repo.Root, "plain");
        Directory.CreateDirectory(folder);

        var exception = Assert.ThrowsAsync<WorkspaceException>(() =>
            CreateManager().PrepareAsync(new WorkspaceRequest(folder, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain(folder).And.Contain("not a git repository"));
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
