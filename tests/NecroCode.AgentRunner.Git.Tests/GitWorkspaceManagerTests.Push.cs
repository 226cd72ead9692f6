namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PushAsync_CommittedBranch_LandsInOriginWithExactlyOneNewCommit()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat(task-1): feature"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(new PushResult(true, "origin", Branch, sha, 1)));
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
            Assert.That(await _repo.OriginAsync("rev-list", "--count", $"main..{Branch}"), Is.EqualTo("1"));
            Assert.That(await _repo.OriginAsync("for-each-ref", "--format=%(refname)"), Is.EqualTo($"refs/heads/{Branch}\nrefs/heads/main"));
        }
    }

    [Test]
    public async Task PushAsync_BranchMovedPastExpectedCommit_RefusedBeforeNetwork()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var checkedCommit = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat(task-1): feature"), CancellationToken.None);
        GitTestRepository.Write(_repo.Slot, "later.txt", "unchecked\n");
        await _repo.SlotAsync("add", "--all");
        await _repo.SlotAsync("commit", "-q", "-m", "committed by a later step");

        var exception = Assert.ThrowsAsync<PushRefusedException>(() => manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events) { ExpectedCommit = checkedCommit }, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain(checkedCommit).And.Contain("only the checked commit is pushed"));
            Assert.That(_transport.Pushes, Is.Zero);
            Assert.That(await _repo.OriginAsync("for-each-ref", "--format=%(refname)"), Is.EqualTo("refs/heads/main"));
        }
    }

    [Test]
    public async Task PushAsync_FileUrlRemote_Pushes()
    {
        await _repo.SlotAsync("remote", "set-url", "origin", new Uri(_repo.Origin).AbsoluteUri);
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
        }
    }

    [TestCase("main")]
    [TestCase("master")]
    [TestCase("release/2.0")]
    [TestCase("HEAD")]
    [TestCase("HEAD:main")]
    [TestCase("feature/x:main")]
    [TestCase("+refs/heads/*")]
    [TestCase("+feature/x")]
    [TestCase("refs/heads/main")]
    [TestCase("refs/heads/*:refs/heads/*")]
    [TestCase(":main")]
    [TestCase("")]
    public async Task PushAsync_ProtectedOrRefspecTrick_RefusedBeforeNetwork(string branch)
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        var originRefs = await _repo.OriginAsync("for-each-ref");

        var exception = Assert.ThrowsAsync<PushRefusedException>(() => manager.PushAsync(new PushRequest(_repo.Slot, branch, _events), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.RefSpec, Is.EqualTo(branch));
            Assert.That(_transport.Pushes, Is.Zero);
            Assert.That(await _repo.OriginAsync("for-each-ref"), Is.EqualTo(originRefs));
        }
    }

    [Test]
    public async Task PushAsync_AnotherTasksBranch_RefusedBeforeNetwork()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        await _repo.SlotAsync("branch", "feature/task-spec-2");

        var exception = Assert.ThrowsAsync<PushRefusedException>(() => manager.PushAsync(new PushRequest(_repo.Slot, "feature/task-spec-2", _events), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain(Branch));
            Assert.That(_transport.Pushes, Is.Zero);
        }
    }

    [Test]
    public async Task PushAsync_RemoteBranchDiverged_FailsOnceWithoutRetry()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        await _repo.PushToOriginAsync(Branch, "theirs.txt", "pushed by someone else\n");
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Attempts, Is.EqualTo(1));
            Assert.That(result.Error, Does.Contain("rejected"));
            Assert.That(_events.Events.OfType<RetryScheduled>(), Is.Empty);
        }
    }

    [Test]
    public async Task PushAsync_TransientFailures_RetriesRecordsAttemptsAndLastError()
    {
        var transport = new ScriptedTransport(failures: 2, message: "fatal: unable to access 'https://runner:s3cret-token@git.example.com/repo.git/': The requested URL returned error: 503");
        var manager = CreateManager(transport: transport);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Attempts, Is.EqualTo(3));
            Assert.That(result.CommitId, Is.EqualTo(sha));
            Assert.That(result.Error, Does.Contain("503").And.Not.Contain("s3cret-token"));
            Assert.That(_events.Events.OfType<RetryScheduled>().Where(e => e.Operation == "push").Select(e => e.Attempt), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(_events.Events.OfType<RetryScheduled>().Select(e => e.Error), Has.None.Contains("s3cret-token"));
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
        }
    }

    [Test]
    public async Task PushAsync_TransientFailuresExhausted_ReturnsFailureWithAttempts()
    {
        var manager = CreateManager(transport: new ScriptedTransport(failures: 100));
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Attempts, Is.EqualTo(3));
            Assert.That(result.Error, Does.Contain("hung up"));
        }
    }

    [Test]
    public async Task PushAsync_AuthenticationFailure_FailsOnceWithoutRetry()
    {
        var transport = new ScriptedTransport(failures: 5, GitErrorKind.Authentication, "fatal: Authentication failed for 'https://git.example.com/repo.git/'");
        var manager = CreateManager(transport: transport);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Attempts, Is.EqualTo(1));
            Assert.That(transport.Pushes, Is.EqualTo(1));
            Assert.That(result.Error, Does.Contain("Authentication failed"));
        }
    }
}
