using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed class FileLockTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void TryAcquire_ExclusiveHeldByAnotherHolder_ReturnsNull()
    {
        var path = _dir.Combine("a.lock");
        using var first = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);

        using var second = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(second, Is.Null);
        });
    }

    [Test]
    public void TryAcquire_SharedHeld_GrantsSharedButNotExclusive()
    {
        var path = _dir.Combine("a.lock");
        using var reader = FileLock.TryAcquire(path, FileLockMode.Shared, TimeProvider.System);

        using var otherReader = FileLock.TryAcquire(path, FileLockMode.Shared, TimeProvider.System);
        using var writer = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(otherReader, Is.Not.Null);
            Assert.That(writer, Is.Null);
        });
    }

    [Test]
    public void Dispose_Released_LockCanBeTakenAgain()
    {
        var path = _dir.Combine("a.lock");
        FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System)!.Dispose();

        using var again = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);

        Assert.That(again, Is.Not.Null);
    }

    [Test]
    public void TryAcquire_Exclusive_RecordsOwnerInLockFile()
    {
        var path = _dir.Combine("a.lock");
        using var held = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);

        var owner = FileLock.ReadOwner(path);

        Assert.That(owner?.Owner, Is.EqualTo(ProcessIdentity.Current));
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireAsync_HeldByFlockCommand_WaitsUntilHolderIsKilled()
    {
        var path = _dir.Combine("a.lock");
        using var holder = ChildProcess.HoldFlock(path);
        using (var whileHeld = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System))
        {
            Assert.That(whileHeld, Is.Null, "the flock command's lock must exclude this process");
        }

        var waiting = FileLock.AcquireAsync(path, FileLockMode.Exclusive, Generous, TimeProvider.System, CancellationToken.None);
        holder.Kill();
        using var acquired = await waiting;

        Assert.That(acquired.Path, Is.EqualTo(path));
    }

    [Test]
    [Category("Integration")]
    public void TryAcquire_HeldByFlockCommandWithFileLockingDisabled_StillExcludes()
    {
        var path = _dir.Combine("a.lock");
        var before = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING", "1");
        try
        {
            using var holder = ChildProcess.HoldFlock(path);

            using var attempt = FileLock.TryAcquire(path, FileLockMode.Shared, TimeProvider.System);

            Assert.That(attempt, Is.Null);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING", before);
        }
    }

    [Test]
    public void AcquireAsync_HeldPastTimeout_ThrowsNamingHolder()
    {
        var path = _dir.Combine("a.lock");
        using var held = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);

        var ex = Assert.ThrowsAsync<TimeoutException>(() =>
            FileLock.AcquireAsync(path, FileLockMode.Exclusive, TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(path).And.Contain($"pid {Environment.ProcessId}"));
    }

    [Test]
    public void AcquireAsync_CancelledWhileWaiting_Throws()
    {
        var path = _dir.Combine("a.lock");
        using var held = FileLock.TryAcquire(path, FileLockMode.Exclusive, TimeProvider.System);
        using var cts = new CancellationTokenSource();

        var waiting = FileLock.AcquireAsync(path, FileLockMode.Exclusive, Generous, TimeProvider.System, cts.Token);
        cts.Cancel();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }
}
