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
}
