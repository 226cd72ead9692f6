using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed class FileSystemBranchLocksTests
{
    private const string Branch = "feature/spec/task-1";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);
    private TempFolder _dir = null!;
    private FileSystemBranchLocks _locks = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempFolder();
        _locks = new FileSystemBranchLocks(Options.Create(new FileSystemOptions { RootPath = _dir.Path }), TimeProvider.System, NullLogger<FileSystemBranchLocks>.Instance);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task AcquireBranchAsync_HeldInProcess_ThrowsConflictNamingHolder()
    {
        await using var held = await _locks.AcquireBranchAsync(Branch, "runner-1", TimeSpan.Zero, CancellationToken.None);

        var ex = Assert.ThrowsAsync<TaskConflictException>(() => _locks.AcquireBranchAsync(Branch, "runner-2", TimeSpan.FromMilliseconds(50), CancellationToken.None));

        Assert.That(ex!.HeldBy, Is.EqualTo("runner-1"));
        Assert.That(ex.Message, Does.Contain(Branch).And.Contain("runner-1").And.Contain("runner-2"));
    }

    [Test]
    public async Task AcquireBranchAsync_OtherBranch_DoesNotConflict()
    {
        await using var held = await _locks.AcquireBranchAsync(Branch, "runner-1", TimeSpan.Zero, CancellationToken.None);

        await using var other = await _locks.AcquireBranchAsync(Branch + "-2", "runner-2", TimeSpan.Zero, CancellationToken.None);

        Assert.That(other, Is.Not.Null);
    }

    [Test]
    public async Task AcquireBranchAsync_HolderDisposes_WaiterGetsIt()
    {
        var held = await _locks.AcquireBranchAsync(Branch, "runner-1", TimeSpan.Zero, CancellationToken.None);

        var waiting = _locks.AcquireBranchAsync(Branch, "runner-2", Generous, CancellationToken.None);
        await held.DisposeAsync();
        await held.DisposeAsync();
        await using var second = await waiting;

        Assert.That(() => _locks.AcquireBranchAsync(Branch, "runner-3", TimeSpan.Zero, CancellationToken.None), Throws.TypeOf<TaskConflictException>().With.Property("HeldBy").EqualTo("runner-2"));
    }

    [Test]
    public async Task AcquireBranchAsync_CancelledWhileWaiting_ThrowsAndHoldsNothing()
    {
        var held = await _locks.AcquireBranchAsync(Branch, "runner-1", TimeSpan.Zero, CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = _locks.AcquireBranchAsync(Branch, "runner-2", Generous, cts.Token);
        await cts.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        await held.DisposeAsync();
        await using var again = await _locks.AcquireBranchAsync(Branch, "runner-3", TimeSpan.Zero, CancellationToken.None);
    }

    [TestCase("main")]
    [TestCase("../../etc/passwd")]
    [TestCase("feature/a\0b")]
    [TestCase("fix/ünïcödé-名前")]
    [TestCase("a-very-long-branch-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on")]
    public void LockPath_AnyBranchName_IsHexFileInBranchesFolder(string branch)
    {
        var path = _locks.LockPath(branch);

        Assert.That(Path.GetDirectoryName(path), Is.EqualTo(Path.Combine(_dir.Path, "registry", "branches")));
        Assert.That(Path.GetFileName(path), Does.Match("^[0-9a-f]{64}\\.lock$"));
    }

    [Test]
    public void LockPath_DifferentBranches_DifferentFiles()
    {
        Assert.That(_locks.LockPath("feature/a"), Is.Not.EqualTo(_locks.LockPath("feature/A")));
    }

    [Test]
    public void AcquireBranchAsync_EmptyBranch_ThrowsArgumentException()
    {
        Assert.That(() => _locks.AcquireBranchAsync(" ", "runner-1", TimeSpan.Zero, CancellationToken.None), Throws.ArgumentException);
    }

    [Test]
    public void AcquireBranchAsync_NegativeWait_ThrowsArgumentException()
    {
        Assert.That(() => _locks.AcquireBranchAsync(Branch, "runner-1", TimeSpan.FromSeconds(-2), CancellationToken.None), Throws.ArgumentException.With.Message.Contain("negative"));
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireBranchAsync_HeldByOtherProcess_ThrowsConflictNamingHolder()
    {
        using var cts = new CancellationTokenSource(Generous);
        using var holder = HoldInChild("runner-child");
        Assert.That(await holder.ReadLineAsync(cts.Token), Is.EqualTo("held"));

        var ex = Assert.ThrowsAsync<TaskConflictException>(() => _locks.AcquireBranchAsync(Branch, "runner-2", TimeSpan.FromMilliseconds(100), CancellationToken.None));

        Assert.That(ex!.HeldBy, Is.EqualTo("runner-child"));
        Assert.That(ex.Message, Does.Contain($"pid {holder.Id}"));
        await holder.FinishAsync(cts.Token);
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireBranchAsync_OtherProcessReleases_WaiterGetsIt()
    {
        using var cts = new CancellationTokenSource(Generous);
        using var holder = HoldInChild("runner-child");
        Assert.That(await holder.ReadLineAsync(cts.Token), Is.EqualTo("held"));

        var waiting = _locks.AcquireBranchAsync(Branch, "runner-2", Generous, cts.Token);
        await holder.FinishAsync(cts.Token);
        await using var held = await waiting;

        Assert.That(FileLock.ReadOwner(_locks.LockPath(Branch))?.Holder, Is.EqualTo("runner-2"));
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireBranchAsync_HolderProcessKilled_WaiterGetsIt()
    {
        using var cts = new CancellationTokenSource(Generous);
        using var holder = HoldInChild("runner-child");
        Assert.That(await holder.ReadLineAsync(cts.Token), Is.EqualTo("held"));

        var waiting = _locks.AcquireBranchAsync(Branch, "runner-2", Generous, cts.Token);
        holder.Kill();
        await using var held = await waiting;

        Assert.That(FileLock.ReadOwner(_locks.LockPath(Branch))?.Holder, Is.EqualTo("runner-2"));
    }

    private ChildProcess HoldInChild(string runnerId) =>
        ChildProcess.Hook("hold-branch", new Dictionary<string, string>
        {
            ["NECROCODE_FSTEST_ROOT"] = Path.Combine(_dir.Path, "registry"),
            ["NECROCODE_FSTEST_BRANCH"] = Branch,
            ["NECROCODE_FSTEST_RUNNER"] = runnerId,
        });
}
