namespace NecroCode.AgentRunner.Git.Tests;

/// <summary>Configuration and index leftovers an earlier (crashed or hostile) run planted in a slot before it was prepared.</summary>
public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PrepareAsync_PushUrlAndRewritesPlantedBeforehand_RemovedAndThePushGoesToOriginOnly()
    {
        var decoy = Path.Combine(_repo.Root, "decoy.git");
        await GitTestRepository.RunAsync(_repo.Root, "init", "--quiet", "--bare", decoy);
        await _repo.SlotAsync("config", "remote.origin.pushurl", decoy);
        await _repo.SlotAsync("config", $"url.{decoy}.insteadOf", _repo.Origin);
        await _repo.SlotAsync("config", $"url.{decoy}.pushInsteadOf", _repo.Origin);
        await _repo.SlotAsync("config", "core.hooksPath", "/tmp/planted-hooks");
        await _repo.SlotAsync("config", "credential.helper", "!echo planted");
        await _repo.SlotAsync("config", "include.path", Path.Combine(_repo.Root, "planted.config"));
        var manager = CreateManager();

        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var commit = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);
        await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        var kept = await _repo.SlotAsync("config", "--file", ".git/config", "--list", "--name-only");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(commit));
            Assert.That(await GitTestRepository.RunAsync(decoy, "for-each-ref"), Is.Empty);
            Assert.That(kept, Does.Not.Contain("pushurl").And.Not.Contain("insteadof").And.Not.Contain("hookspath").And.Not.Contain("credential").And.Not.Contain("include"));
            Assert.That(kept, Does.Contain("remote.origin.url").And.Contain("remote.origin.fetch"));
            Assert.That(_events.Warnings, Has.One.Contains("remote.origin.pushurl").And.Contains("insteadof").And.Contains("core.hookspath"));
        }
    }

    [Test]
    public async Task PrepareAsync_CleanSlot_KeepsItsConfigurationAndWarnsNothingAboutIt()
    {
        var before = await File.ReadAllTextAsync(Path.Combine(_repo.Slot, ".git", "config"));

        await PrepareAsync(CreateManager());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllTextAsync(Path.Combine(_repo.Slot, ".git", "config")), Is.EqualTo(before));
            Assert.That(_events.Warnings, Has.None.Contains("git configuration"));
        }
    }

    [Test]
    public async Task PrepareAsync_SparseCheckoutLeftovers_RemovedAndEveryFileIsBack()
    {
        var gitDirectory = Path.Combine(_repo.Slot, ".git");
        await _repo.SlotAsync("config", "core.sparseCheckout", "true");
        await _repo.SlotAsync("config", "extensions.worktreeConfig", "true");
        GitTestRepository.Write(gitDirectory, "info/sparse-checkout", "/nothing-matches\n");
        GitTestRepository.Write(gitDirectory, "config.worktree", "[core]\n\tsparseCheckout = true\n");

        var prepared = await PrepareAsync(CreateManager());

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(Path.Combine(gitDirectory, "info", "sparse-checkout")), Is.False);
            Assert.That(File.Exists(Path.Combine(gitDirectory, "config.worktree")), Is.False);
            Assert.That(await _repo.SlotAsync("ls-files", "-t"), Does.Not.Contain("S "));
        }
    }

    [TestCase("--skip-worktree")]
    [TestCase("--assume-unchanged")]
    public async Task PrepareAsync_IndexFlagLeftOnAFile_ClearedSoTheEditIsCommitted(string flag)
    {
        var file = (await _repo.SlotAsync("ls-files")).Split('\n')[0];
        await _repo.SlotAsync("update-index", flag, file);
        var manager = CreateManager();

        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, file, "edited by the agent\n");
        var commit = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("show", "--name-only", "--format=", commit), Is.EqualTo(file));
            Assert.That(await _repo.SlotAsync("ls-files", "-v", "-t", file), Does.StartWith("H "));
            Assert.That(_events.Warnings, Has.One.Contains("skip-worktree or assume-unchanged flag of 1 file"));
        }
    }
}
