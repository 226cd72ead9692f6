namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task PrepareAsync_EmptySlotWithCloneUrl_StartsItFromOriginMain()
    {
        var slot = Path.Combine(_repo.Root, "empty-slot");
        Directory.CreateDirectory(slot);
        var manager = CreateManager(o => o.CloneUrl = _repo.Origin);

        var prepared = await manager.PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None);

        var originMain = await _repo.OriginAsync("rev-parse", "main");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(originMain));
            Assert.That(await GitTestRepository.RunAsync(slot, "symbolic-ref", "--short", "HEAD"), Is.EqualTo(Branch));
            Assert.That(await GitTestRepository.RunAsync(slot, "rev-parse", "HEAD"), Is.EqualTo(originMain));
            Assert.That(await GitTestRepository.RunAsync(slot, "remote", "get-url", "origin"), Is.EqualTo(_repo.Origin));
            Assert.That(File.Exists(Path.Combine(slot, "README.md")), Is.True);
        }
    }

    [Test]
    public void PrepareAsync_NonEmptyFolderWithCloneUrl_IsLeftAloneAndRefused()
    {
        var slot = Path.Combine(_repo.Root, "not-a-repo");
        GitTestRepository.Write(slot, "notes.txt", "not a repository\n");
        var manager = CreateManager(o => o.CloneUrl = _repo.Origin);

        Assert.ThrowsAsync(Is.InstanceOf<WorkspaceException>(), () => manager.PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None));
        Assert.That(Directory.Exists(Path.Combine(slot, ".git")), Is.False);
    }

    [Test]
    public void PrepareAsync_EmptySlotWithoutCloneUrl_IsRefusedAsBefore()
    {
        var slot = Path.Combine(_repo.Root, "empty-without-url");
        Directory.CreateDirectory(slot);

        Assert.ThrowsAsync(Is.InstanceOf<WorkspaceException>(), () => CreateManager().PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None));
        Assert.That(Directory.Exists(Path.Combine(slot, ".git")), Is.False);
    }
}
