namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task PrepareAsync_EmptyOrMissingSlotWithOrigin_InitialisesItAndStartsFromOriginMain(bool folderExists)
    {
        var slot = Path.Combine(_repo.Root, "new-slot");
        if (folderExists)
        {
            Directory.CreateDirectory(slot);
        }

        var manager = CreateManager(o => o.Origin = _repo.Origin, transport: null);

        var prepared = await manager.PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None);

        var originMain = await _repo.OriginAsync("rev-parse", "main");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(originMain));
            Assert.That(await GitTestRepository.RunAsync(slot, "symbolic-ref", "--short", "HEAD"), Is.EqualTo(Branch));
            Assert.That(await GitTestRepository.RunAsync(slot, "rev-parse", "HEAD"), Is.EqualTo(originMain));
            Assert.That(await GitTestRepository.RunAsync(slot, "remote", "get-url", "origin"), Is.EqualTo(_repo.Origin));
            Assert.That(await GitTestRepository.RunAsync(slot, "status", "--porcelain", "--untracked-files=all"), Is.Empty);
            Assert.That(Directory.EnumerateFiles(slot).Select(Path.GetFileName), Is.EquivalentTo(Directory.EnumerateFiles(_repo.Slot).Select(Path.GetFileName)));
        }
    }

    [Test]
    public void PrepareAsync_EmptySlotWithoutOrigin_FailsNamingTheSetting()
    {
        var slot = Directory.CreateDirectory(Path.Combine(_repo.Root, "new-slot")).FullName;
        var manager = CreateManager();

        var error = Assert.ThrowsAsync<WorkspaceException>(() => manager.PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain(slot).And.Contain("empty").And.Contain("NecroCode:Git:Origin"));
            Assert.That(Directory.EnumerateFileSystemEntries(slot), Is.Empty, "nothing was created");
        });
    }

    [Test]
    public void PrepareAsync_SlotThatHoldsFiles_IsNeverReinitialised()
    {
        var slot = Directory.CreateDirectory(Path.Combine(_repo.Root, "not-a-repo")).FullName;
        GitTestRepository.Write(slot, "notes.txt", "keep me\n");
        var manager = CreateManager(o => o.Origin = _repo.Origin);

        var error = Assert.ThrowsAsync<WorkspaceException>(() => manager.PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("not a git repository"));
            Assert.That(File.ReadAllText(Path.Combine(slot, "notes.txt")), Is.EqualTo("keep me\n"));
            Assert.That(Directory.Exists(Path.Combine(slot, ".git")), Is.False);
        });
    }

    [Test]
    public async Task PrepareAsync_EmptySlotWithHttpOrigin_FetchesWithTheRunnersTokenAndKeepsItOutOfTheSlot()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var slot = Path.Combine(_repo.Root, "new-slot");
        var manager = CreateHttpManager(token, o => o.Origin = server.UrlOf("origin.git"));

        var prepared = await manager.PrepareAsync(new WorkspaceRequest(slot, Branch, new TaskKey("spec", "1"), _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(await _repo.OriginAsync("rev-parse", "main")));
            Assert.That(server.Requests, Has.Some.StartsWith("POST /origin.git/git-upload-pack"));
            Assert.That(FilesHolding(slot, token), Is.Empty);
        }
    }
}
