namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task CommitAsync_Changes_CommitsWithMessageAuthorAndTime()
    {
        var manager = CreateManager(o => (o.AuthorName, o.AuthorEmail) = ("Runner Seven", "seven@example.com"), time: _time);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");

        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat(task-1): add the feature"), CancellationToken.None);

        var shown = await _repo.SlotAsync("show", "-s", "--format=%H%n%an <%ae>%n%cn <%ce>%n%at%n%B", "HEAD");
        Assert.That(shown.Split('\n'), Is.EqualTo(new[]
        {
            sha, "Runner Seven <seven@example.com>", "Runner Seven <seven@example.com>",
            new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "feat(task-1): add the feature",
        }));
    }

    [Test]
    public async Task CommitAsync_DefaultOptions_UsesRunnerIdentityAndStagesEverythingButIgnored()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        GitTestRepository.Write(_repo.Slot, "debug.log", "ignored\n");
        File.Delete(Path.Combine(_repo.Slot, "delete.txt"));

        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("show", "-s", "--format=%an <%ae>", "HEAD"), Is.EqualTo("NecroCode Runner <runner@necrocode.local>"));
            Assert.That(await _repo.SlotAsync("show", "--name-status", "--format=", "HEAD"), Is.EqualTo("D\tdelete.txt\nA\tfeature.txt"));
            Assert.That(await _repo.SlotAsync("status", "--porcelain"), Is.Empty);
        }
    }

    [Test]
    public async Task CommitAsync_NothingChanged_ThrowsWorkspaceException()
    {
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "debug.log", "only an ignored file\n");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("Nothing to commit"));
    }

    [Test]
    public async Task CommitAsync_OnMainBranch_Refuses()
    {
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => CreateManager().CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain("main"));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(await _repo.OriginAsync("rev-parse", "main")));
        }
    }
}
