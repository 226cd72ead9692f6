namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [TestCase("pushurl", "remote.origin.pushurl set in file:.git/config")]
    [TestCase("insteadOf", ".insteadof set in file:.git/config")]
    [TestCase("pushInsteadOf", ".pushinsteadof set in file:.git/config")]
    [TestCase("include", "include.path set in file:.git/config")]
    public async Task PushAsync_AgentRedirectsOriginInConfig_RefusedAndTheOtherServerGetsNothing(string plant, string named)
    {
        var token = NewToken();
        await using var origin = await StartHttpOriginAsync(token);
        await using var other = await StartOtherServerAsync(token);
        var manager = CreateHttpManager(token);
        await PrepareAsync(manager);
        await PlantRedirectAsync(plant, origin.UrlOf("origin.git"), other.UrlOf("other.git"));
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var exception = Assert.ThrowsAsync<PushRefusedException>(() => manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain("git configuration of the slot changed"));
            Assert.That(exception.Message, Does.Contain(named));
            Assert.That(other.Requests, Is.Empty);
            Assert.That(other.AuthorizationHeaders, Is.Empty);
            Assert.That(origin.Requests, Has.None.Contains("git-receive-pack"));
            Assert.That(await _repo.OriginAsync("for-each-ref", "--format=%(refname)"), Is.EqualTo("refs/heads/main"));
        }
    }

    [Test]
    public async Task PushAsync_AgentSetsPushUrlToLocalBareRepository_RefusedAndNothingLandsThere()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        var other = Path.Combine(_repo.Root, "other.git");
        await GitTestRepository.RunAsync(_repo.Root, "init", "--quiet", "--bare", other);
        await _repo.SlotAsync("config", "remote.origin.pushurl", other);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var exception = Assert.ThrowsAsync<PushRefusedException>(() => manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain("remote.origin.pushurl set in file:.git/config"));
            Assert.That(_transport.Pushes, Is.Zero);
            Assert.That(await GitTestRepository.RunAsync(other, "for-each-ref"), Is.Empty);
        }
    }

    [Test]
    public async Task PrepareAsync_OriginRewrittenToAnotherServerBeforehand_RewriteRemovedAndTheOtherServerGetsNothing()
    {
        // A rewrite already in the configuration when the slot is prepared (left by a run that never rolled
        // back): recovery removes it before the fetch, so the other server sees no request at all, let alone a token.
        var token = NewToken();
        await using var origin = await StartHttpOriginAsync(token);
        await using var other = await StartOtherServerAsync(token);
        await PlantRedirectAsync("insteadOf", origin.UrlOf("origin.git"), other.UrlOf("other.git"));
        var manager = CreateHttpManager(token);

        await PrepareAsync(manager);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(other.Requests, Is.Empty);
            Assert.That(other.AuthorizationHeaders, Is.Empty);
            Assert.That(origin.Requests, Is.Not.Empty);
            Assert.That(_events.Warnings, Has.One.Contains(".insteadof"));
        }
    }

    [Test]
    public async Task PushAsync_AgentPlantedPrePushHook_PushesWithoutRunningItAndRemovesIt()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        var marker = Path.Combine(_repo.Root, "hook-ran");
        var hook = Path.Combine(_repo.Slot, ".git", "hooks", "pre-push");
        await File.WriteAllTextAsync(hook, $"#!/bin/sh\ntouch '{marker}'\nexit 0\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
            Assert.That(File.Exists(marker), Is.False);
            Assert.That(File.Exists(hook), Is.False);
            Assert.That(_events.Events.OfType<RunWarning>().Select(w => w.Message), Has.Some.Contain("pre-push"));
        }
    }

    [Test]
    public async Task RollbackAsync_AgentChangedConfigAndHooks_RestoresThemAndTheNextTaskPushesToOrigin()
    {
        var manager = CreateManager();
        var config = Path.Combine(_repo.Slot, ".git", "config");
        var hooks = Path.Combine(_repo.Slot, ".git", "hooks");
        var hooksBefore = Directory.GetFiles(hooks).Select(Path.GetFileName).Order().ToList();
        await PrepareAsync(manager);
        var configBefore = await File.ReadAllBytesAsync(config);
        var other = Path.Combine(_repo.Root, "other.git");
        await GitTestRepository.RunAsync(_repo.Root, "init", "--quiet", "--bare", other);
        await _repo.SlotAsync("config", "remote.origin.pushurl", other);
        await File.WriteAllTextAsync(Path.Combine(hooks, "post-checkout"), "#!/bin/sh\nexit 1\n");
        File.Delete(Path.Combine(hooks, hooksBefore[0]!));

        await manager.RollbackAsync(_repo.Slot, CancellationToken.None);
        await PrepareAsync(manager, "feature/task-spec-2");
        GitTestRepository.Write(_repo.Slot, "second.txt", "second\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);
        var result = await manager.PushAsync(new PushRequest(_repo.Slot, "feature/task-spec-2", _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllBytesAsync(config), Is.EqualTo(configBefore));
            Assert.That(Directory.GetFiles(hooks).Select(Path.GetFileName).Order(), Is.EqualTo(hooksBefore));
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(await _repo.OriginAsync("rev-parse", "feature/task-spec-2"), Is.EqualTo(sha));
            Assert.That(await GitTestRepository.RunAsync(other, "for-each-ref"), Is.Empty);
        }
    }

    [Test]
    public async Task PushAsync_SlotNotPreparedByThisManager_RefusedBeforeNetwork()
    {
        await PrepareAsync(CreateManager());
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await _repo.SlotAsync("add", "--all");
        await _repo.SlotAsync("commit", "-q", "-m", "msg");
        var manager = CreateManager();

        var exception = Assert.ThrowsAsync<PushRefusedException>(() => manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain("was not prepared"));
            Assert.That(_transport.Pushes, Is.Zero);
        }
    }

    /// <summary>A second smart-HTTP server with a bare repository of its own, accepting the same token (it would take anything).</summary>
    private async Task<GitHttpServer> StartOtherServerAsync(string token)
    {
        var root = Directory.CreateDirectory(Path.Combine(_repo.Root, "other-server")).FullName;
        await GitTestRepository.RunAsync(root, "init", "--quiet", "--bare", "other.git");
        return await GitHttpServer.StartAsync(root, HttpUser, token);
    }

    /// <summary>Writes what an agent could write into the slot's configuration to send origin's traffic to <paramref name="otherUrl"/>.</summary>
    private async Task PlantRedirectAsync(string plant, string originUrl, string otherUrl)
    {
        switch (plant)
        {
            case "pushurl":
                await _repo.SlotAsync("config", "remote.origin.pushurl", otherUrl);
                break;
            case "insteadOf":
                await _repo.SlotAsync("config", $"url.{otherUrl}.insteadOf", originUrl);
                break;
            case "pushInsteadOf":
                await _repo.SlotAsync("config", $"url.{otherUrl}.pushInsteadOf", originUrl);
                break;
            case "include":
                var included = Path.Combine(_repo.Slot, "build.cfg");
                await File.WriteAllTextAsync(included, $"[url \"{otherUrl}\"]\n\tinsteadOf = {originUrl}\n");
                await _repo.SlotAsync("config", "include.path", included);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(plant), plant, "unknown plant");
        }
    }
}
