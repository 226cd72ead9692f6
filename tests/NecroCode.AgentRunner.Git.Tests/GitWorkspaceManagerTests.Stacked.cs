namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    private const string DependencyBranch = "feature/task-spec-0";

    [Test]
    public async Task PrepareAsync_BaseBranchNotMerged_StartsAtItsCommitAndDiffsAgainstIt()
    {
        var manager = CreateManager();
        var dependency = await _repo.PushToOriginAsync(DependencyBranch, "dependency.txt", "built first\n");

        var prepared = await StackedAsync(manager, DependencyBranch, dependency);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared, Is.EqualTo(new PreparedWorkspace(_repo.Slot, Branch, dependency)));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(dependency));
            Assert.That(await _repo.SlotAsync("symbolic-ref", "--short", "HEAD"), Is.EqualTo(Branch));
            Assert.That(File.ReadAllText(Path.Combine(_repo.Slot, "dependency.txt")), Is.EqualTo("built first\n"));
        }
    }

    [Test]
    public async Task PrepareAsync_BaseCommitBehindTheBranchTip_StartsAtTheGivenCommit()
    {
        var manager = CreateManager();
        var dependency = await _repo.PushToOriginAsync(DependencyBranch, "dependency.txt", "built first\n");
        await _repo.PushToOriginAsync(DependencyBranch, "later.txt", "pushed later\n");

        var prepared = await StackedAsync(manager, DependencyBranch, dependency);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(dependency));
            Assert.That(File.Exists(Path.Combine(_repo.Slot, "later.txt")), Is.False);
        }
    }

    [Test]
    public async Task PrepareAsync_BaseCommitAlreadyMerged_StartsFromMain()
    {
        var manager = CreateManager();
        var dependency = await _repo.PushToOriginAsync(DependencyBranch, "dependency.txt", "built first\n");
        await _repo.OriginAsync("update-ref", "refs/heads/main", dependency);
        var newMain = await _repo.PushToOriginAsync("main", "after-merge.txt", "main moved on\n");

        var prepared = await StackedAsync(manager, DependencyBranch, dependency);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(newMain));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(newMain));
        }
    }

    [Test]
    public async Task PrepareAsync_BaseBranchMissingOnRemote_ThrowsNamingTheBranch()
    {
        var manager = CreateManager();
        var main = await _repo.OriginAsync("rev-parse", "main");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => StackedAsync(manager, DependencyBranch, main));

        Assert.That(exception!.Message, Does.Contain($"'{DependencyBranch}'").And.Contain("does not have"));
    }

    [Test]
    public async Task PrepareAsync_BaseCommitNotOnTheBranch_ThrowsNamingTheCommit()
    {
        var manager = CreateManager();
        var elsewhere = await _repo.PushToOriginAsync("feature/other", "other.txt", "elsewhere\n");
        await _repo.PushToOriginAsync(DependencyBranch, "dependency.txt", "built first\n");
        await _repo.SlotAsync("fetch", "-q", "origin", "feature/other");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => StackedAsync(manager, DependencyBranch, elsewhere));

        Assert.That(exception!.Message, Does.Contain(elsewhere[..10]).And.Contain("no longer holds"));
    }

    private Task<PreparedWorkspace> StackedAsync(GitWorkspaceManager manager, string baseBranch, string baseCommit) =>
        manager.PrepareAsync(
            new WorkspaceRequest(_repo.Slot, Branch, new TaskKey("spec", "1"), _events) { BaseBranch = baseBranch, BaseCommit = baseCommit },
            CancellationToken.None);
}
