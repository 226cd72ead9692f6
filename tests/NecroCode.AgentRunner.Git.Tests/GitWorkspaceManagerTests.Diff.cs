namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    [Test]
    public async Task GetDiffAsync_EveryChangeKind_ListsEachChange()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        await MakeEveryKindOfChangeAsync();

        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);

        Assert.That(diff.Changes, Is.EquivalentTo(new[]
        {
            new FileChange("README.md", FileChangeKind.Modified),
            new FileChange("added.txt", FileChangeKind.Added),
            new FileChange("dir/ä b.txt", FileChangeKind.Added),
            new FileChange("data/new.bin", FileChangeKind.Added, IsBinary: true),
            new FileChange("data/blob.bin", FileChangeKind.Modified, IsBinary: true),
            new FileChange("delete.txt", FileChangeKind.Deleted),
            new FileChange("new/name.txt", FileChangeKind.Renamed, "old/name.txt"),
            new FileChange("src/app.txt", FileChangeKind.Modified),
            new FileChange("scripts/run.sh", FileChangeKind.Modified),
            new FileChange("link", FileChangeKind.Modified),
            new FileChange("new-link", FileChangeKind.Added),
            new FileChange("becomes-link.txt", FileChangeKind.TypeChanged),
            new FileChange("becomes-file", FileChangeKind.TypeChanged),
        }));
    }

    [Test]
    public async Task GetDiffAsync_ChangesWithoutTypeChange_TakesBinaryFlagFromThePatch()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.WriteBytes(_repo.Slot, "data/blob.bin", [0, 1, 2, 0, 255, 7]);
        GitTestRepository.Write(_repo.Slot, "src/app.txt", "@@ not a hunk header\nGIT binary patch\n");
        GitTestRepository.Write(_repo.Slot, "text.txt", "plain\n");

        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);

        Assert.That(diff.Changes, Is.EquivalentTo(new[]
        {
            new FileChange("data/blob.bin", FileChangeKind.Modified, IsBinary: true),
            new FileChange("src/app.txt", FileChangeKind.Modified),
            new FileChange("text.txt", FileChangeKind.Added),
        }));
    }

    [Test]
    public async Task GetDiffAsync_EveryChangeKind_PatchAppliesOntoBaseAndReproducesCommittedTree()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        await MakeEveryKindOfChangeAsync();
        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "all kinds"), CancellationToken.None);
        var committedTree = await _repo.SlotAsync("rev-parse", "HEAD^{tree}");
        var fresh = Path.Combine(_repo.Root, "fresh");
        await GitTestRepository.RunAsync(_repo.Root, "clone", "--quiet", _repo.Origin, fresh);
        await GitTestRepository.RunAsync(fresh, "checkout", "-q", "--detach", prepared.BaseCommit);
        var patchFile = Path.Combine(_repo.Root, "diff.patch");
        await File.WriteAllTextAsync(patchFile, diff.Patch);

        await GitTestRepository.RunAsync(fresh, "apply", "--index", patchFile);

        Assert.That(await GitTestRepository.RunAsync(fresh, "write-tree"), Is.EqualTo(committedTree));
    }

    [Test]
    public async Task GetDiffAsync_NonUtf8TextFiles_PatchStillReproducesTree()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.WriteBytes(_repo.Slot, "latin1 [x].txt", [0x63, 0x61, 0x66, 0xe9, 0x0a]);
        GitTestRepository.Write(_repo.Slot, "README.md", "still UTF-8: caf\u00e9\n");
        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "latin-1"), CancellationToken.None);
        var fresh = Path.Combine(_repo.Root, "fresh");
        await GitTestRepository.RunAsync(_repo.Root, "clone", "--quiet", _repo.Origin, fresh);
        await GitTestRepository.RunAsync(fresh, "checkout", "-q", "--detach", prepared.BaseCommit);
        var patchFile = Path.Combine(_repo.Root, "diff.patch");
        await File.WriteAllTextAsync(patchFile, diff.Patch);

        await GitTestRepository.RunAsync(fresh, "apply", "--index", patchFile);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await GitTestRepository.RunAsync(fresh, "write-tree"), Is.EqualTo(await _repo.SlotAsync("rev-parse", "HEAD^{tree}")));
            Assert.That(diff.Patch, Does.Contain("+still UTF-8: caf\u00e9"));
        }
    }

    [Test]
    public async Task GetDiffAsync_UntrackedFile_LeavesRealIndexUntouched()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "untracked.txt", "new\n");
        var indexBefore = await File.ReadAllBytesAsync(Path.Combine(_repo.Slot, ".git", "index"));

        await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllBytesAsync(Path.Combine(_repo.Slot, ".git", "index")), Is.EqualTo(indexBefore));
            Assert.That(await _repo.SlotStatusAsync(), Is.EqualTo("?? untracked.txt"));
        }
    }

    [Test]
    public async Task GetDiffAsync_OnlyIgnoredFilesChanged_IsEmpty()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "debug.log", "ignored\n");
        GitTestRepository.Write(_repo.Slot, "build/out.txt", "ignored\n");

        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(diff.IsEmpty, Is.True);
            Assert.That(diff.Patch, Is.Empty);
        }
    }

    private async Task MakeEveryKindOfChangeAsync()
    {
        var slot = _repo.Slot;
        GitTestRepository.Write(slot, "README.md", "# Sample\n\nA small project, changed.\n");
        GitTestRepository.Write(slot, "added.txt", "a new file\n");
        GitTestRepository.Write(slot, "dir/ä b.txt", "unicode and a space\n");
        GitTestRepository.Write(slot, "debug.log", "ignored, never in the diff\n");
        GitTestRepository.WriteBytes(slot, "data/new.bin", [0, 1, 2, 255, 0, 3]);
        GitTestRepository.WriteBytes(slot, "data/blob.bin", [.. Enumerable.Range(0, 600).Select(i => (byte)(i * 11 % 256))]);
        File.Delete(Path.Combine(slot, "delete.txt"));
        Directory.CreateDirectory(Path.Combine(slot, "new"));
        File.Move(Path.Combine(slot, "old", "name.txt"), Path.Combine(slot, "new", "name.txt"));
        if (!OperatingSystem.IsWindows())
        {
            var app = Path.Combine(slot, "src", "app.txt");
            File.SetUnixFileMode(app, File.GetUnixFileMode(app) | UnixFileMode.UserExecute);
        }

        GitTestRepository.Write(slot, "scripts/run.sh", "#!/bin/sh\necho run faster\n");
        File.Delete(Path.Combine(slot, "link"));
        File.CreateSymbolicLink(Path.Combine(slot, "link"), "added.txt");
        File.CreateSymbolicLink(Path.Combine(slot, "new-link"), "src/app.txt");
        File.Delete(Path.Combine(slot, "becomes-link.txt"));
        File.CreateSymbolicLink(Path.Combine(slot, "becomes-link.txt"), "README.md");
        File.Delete(Path.Combine(slot, "becomes-file"));
        GitTestRepository.Write(slot, "becomes-file", "now a regular file\n");
        await Task.CompletedTask;
    }
}
