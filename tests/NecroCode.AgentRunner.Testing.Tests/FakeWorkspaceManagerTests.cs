using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeWorkspaceManagerTests
{
    private TempFolder _workspace = null!;

    [SetUp]
    public void SetUp() => _workspace = new TempFolder("necrocode-fake-workspace-");

    [TearDown]
    public void TearDown() => _workspace.Dispose();

    [Test]
    public async Task GetDiffAsync_FilesAddedChangedAndDeleted_EachReportedAgainstThePreparedSnapshot()
    {
        var manager = new FakeWorkspaceManager();
        _workspace.WriteFile("keep.txt", "same\n");
        _workspace.WriteFile("change.txt", "before\n");
        _workspace.WriteFile("delete.txt", "gone soon\n");
        var prepared = await manager.PrepareAsync(Request(), CancellationToken.None);
        _workspace.WriteFile("change.txt", "after\n");
        _workspace.WriteFile("new/added.txt", "new\n");
        File.Delete(_workspace.Combine("delete.txt"));

        var diff = await manager.GetDiffAsync(_workspace.Path, prepared.BaseCommit, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(diff.Changes, Is.EqualTo(new[]
            {
                new FileChange("change.txt", FileChangeKind.Modified),
                new FileChange("new/added.txt", FileChangeKind.Added),
                new FileChange("delete.txt", FileChangeKind.Deleted),
            }));
            Assert.That(diff.Patch, Does.Contain("modified change.txt").And.Contain("after"));
        });
    }

    [Test]
    public async Task CommitAsync_AfterChanges_RecordedAndTheNextDiffStartsFromIt()
    {
        var manager = new FakeWorkspaceManager();
        var prepared = await manager.PrepareAsync(Request(), CancellationToken.None);
        _workspace.WriteFile("a.txt", "a\n");
        var commit = new CommitRequest(_workspace.Path, "feat: a");

        var id = await manager.CommitAsync(commit, CancellationToken.None);
        var diff = await manager.GetDiffAsync(_workspace.Path, id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(id, Is.Not.EqualTo(prepared.BaseCommit).And.Length.EqualTo(40));
            Assert.That(manager.Commits, Is.EqualTo(new[] { commit }));
            Assert.That(diff.Changes, Is.Empty);
        });
    }

    [Test]
    public async Task PrepareAsync_GitFolder_LeftOutOfTheSnapshot()
    {
        var manager = new FakeWorkspaceManager();
        var prepared = await manager.PrepareAsync(Request(), CancellationToken.None);
        _workspace.WriteFile(".git/HEAD", "ref: refs/heads/main\n");

        var diff = await manager.GetDiffAsync(_workspace.Path, prepared.BaseCommit, CancellationToken.None);

        Assert.That(diff.Changes, Is.Empty);
    }

    [Test]
    public async Task PushAsync_PushErrorSet_FailsWithItAndRecordsThePush()
    {
        var manager = new FakeWorkspaceManager { PushError = "rejected" };
        var push = new PushRequest(_workspace.Path, "feature/x", new RecordingEventSink());

        var result = await manager.PushAsync(push, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((result.Succeeded, result.Error, result.Branch), Is.EqualTo((false, "rejected", "feature/x")));
            Assert.That(manager.Pushes, Is.EqualTo(new[] { push }));
        });
    }

    [Test]
    public async Task PushAsync_Prepared_SucceedsWithTheWorkspacesSnapshotId()
    {
        var manager = new FakeWorkspaceManager();
        var prepared = await manager.PrepareAsync(Request(), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_workspace.Path, "feature/x", new RecordingEventSink()), CancellationToken.None);

        Assert.That((result.Succeeded, result.CommitId), Is.EqualTo((true, prepared.BaseCommit)));
    }

    [Test]
    public async Task RollbackAsync_Workspace_OnlyRecorded()
    {
        var manager = new FakeWorkspaceManager();
        _workspace.WriteFile("a.txt", "a\n");

        await manager.RollbackAsync(_workspace.Path, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(manager.Rollbacks, Is.EqualTo(new[] { _workspace.Path }));
            Assert.That(File.Exists(_workspace.Combine("a.txt")), Is.True);
        });
    }

    private WorkspaceRequest Request() => new(_workspace.Path, "feature/x", new TaskKey("spec", "1"), new RecordingEventSink());
}
