using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Tests.FileSystem;

namespace NecroCode.AgentRunner.Tests.Concurrency;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class RunConcurrencyLimiterTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task AcquireAsync_FiveInProcessAcquirersWithLimitTwo_NeverMoreThanTwoInside()
    {
        var log = _dir.Combine("overlap.log");

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Task.Run(() => RunInProcessAsync(Create(2), log, $"task-{i}"))));

        Assert.That(OverlapLog.MaxOverlap(log, 5), Is.InRange(1, 2));
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireAsync_ProcessesAndInProcessAcquirersWithLimitTwo_NeverMoreThanTwoInside()
    {
        var log = _dir.Combine("overlap.log");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var barrier = _dir.Combine("go");
        var children = Enumerable.Range(0, 3).Select(i => ChildProcess.Hook("run-slot", Settings(2, $"process-{i}", log, barrier))).ToList();
        try
        {
            foreach (var child in children)
            {
                Assert.That(await child.ReadLineAsync(cts.Token), Is.EqualTo("ready"));
            }

            await File.WriteAllTextAsync(barrier, "go", cts.Token);
            var inProcess = Enumerable.Range(0, 2).Select(i => Task.Run(() => RunInProcessAsync(Create(2), log, $"task-{i}"))).ToList();
            foreach (var child in children)
            {
                await child.WaitForSuccessAsync(cts.Token);
            }

            await Task.WhenAll(inProcess).WaitAsync(cts.Token);
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        Assert.That(OverlapLog.MaxOverlap(log, 5), Is.InRange(1, 2));
    }

    [Test]
    [Category("Integration")]
    public async Task AcquireAsync_HolderProcessKilled_SlotBecomesFree()
    {
        using var cts = new CancellationTokenSource(Generous);
        using var holder = ChildProcess.Hook("hold-run-slot", Settings(1, "holder", _dir.Combine("unused.log")));
        Assert.That(await holder.ReadLineAsync(cts.Token), Is.EqualTo("held"));
        var limiter = Create(1);

        var waiting = limiter.AcquireAsync(cts.Token);
        Assert.That(waiting.IsCompleted, Is.False, "the child holds the only slot");
        holder.Kill();
        await using var permit = await waiting;

        Assert.That(FileLock.TryAcquire(Path.Combine(limiter.LockFolder, "0.lock"), FileLockMode.Exclusive, TimeProvider.System), Is.Null);
    }

    [Test]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsAndHoldsNothing()
    {
        var limiter = Create(2);
        var first = await limiter.AcquireAsync(CancellationToken.None);
        var second = await limiter.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        using var concurrent = new MetricCollector<long>(ConcurrencyTelemetry.ConcurrentRuns);

        var waiting = limiter.AcquireAsync(cts.Token);
        await cts.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        await first.DisposeAsync();
        await second.DisposeAsync();
        var free = Enumerable.Range(0, 2).Select(i => FileLock.TryAcquire(Path.Combine(limiter.LockFolder, $"{i}.lock"), FileLockMode.Exclusive, TimeProvider.System)).ToList();
        Assert.That(free, Is.All.Not.Null, "no slot may stay taken by the cancelled wait");
        free.ForEach(f => f!.Dispose());
        Assert.That(concurrent.GetMeasurementSnapshot().Select(m => m.Value), Is.EqualTo(new[] { -1L, -1L }));
    }

    [Test]
    public async Task AcquireAsync_AfterWaiting_RecordsWaitInHistogram()
    {
        var time = new FakeTimeProvider();
        var limiter = Create(1, time);
        var held = await limiter.AcquireAsync(CancellationToken.None);
        using var wait = new MetricCollector<double>(ConcurrencyTelemetry.QueueWait);

        var waiting = limiter.AcquireAsync(CancellationToken.None);
        await held.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(3));
        await using var permit = await waiting.WaitAsync(Generous);

        Assert.That(wait.GetMeasurementSnapshot().Select(m => m.Value), Is.EqualTo(new[] { 3.0 }));
        Assert.That(wait.Instrument!.Unit, Is.EqualTo("s"));
    }

    [Test]
    public async Task DisposeAsync_Twice_CountsConcurrentRunsDownOnce()
    {
        var limiter = Create(2);
        using var concurrent = new MetricCollector<long>(ConcurrencyTelemetry.ConcurrentRuns);

        var permit = await limiter.AcquireAsync(CancellationToken.None);
        await permit.DisposeAsync();
        await permit.DisposeAsync();

        Assert.That(concurrent.GetMeasurementSnapshot().Select(m => m.Value), Is.EqualTo(new[] { 1L, -1L }));
    }

    [Test]
    public void Constructor_NoLockFolder_UsesRunSlotsUnderFileSystemRoot()
    {
        var limiter = new RunConcurrencyLimiter(
            Options.Create(new ConcurrencyOptions { MaxParallelRuns = 3 }),
            Options.Create(new FileSystemOptions { RootPath = _dir.Path }),
            TimeProvider.System,
            NullLogger<RunConcurrencyLimiter>.Instance);

        Assert.That((limiter.LockFolder, limiter.MaxParallelRuns), Is.EqualTo((_dir.Combine("run-slots"), 3)));
    }

    [Test]
    public void Constructor_ZeroRuns_ThrowsNamingSetting()
    {
        Assert.That(() => Create(0), Throws.ArgumentException.With.Message.Contain("MaxParallelRuns"));
    }

    private static async Task RunInProcessAsync(RunConcurrencyLimiter limiter, string log, string name)
    {
        await using var permit = await limiter.AcquireAsync(CancellationToken.None);
        OverlapLog.Append(log, "enter " + name);
        await Task.Delay(50); // the "run": long enough for others to try to get in
        OverlapLog.Append(log, "exit " + name);
    }

    private Dictionary<string, string> Settings(int max, string name, string log, string? barrier = null) => new()
    {
        ["NECROCODE_FSTEST_BARRIER"] = barrier ?? string.Empty,
        ["NECROCODE_FSTEST_MAX"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NECROCODE_FSTEST_FOLDER"] = _dir.Combine("run-slots"),
        ["NECROCODE_FSTEST_NAME"] = name,
        ["NECROCODE_FSTEST_LOG"] = log,
    };

    private RunConcurrencyLimiter Create(int max, TimeProvider? time = null) =>
        new(
            Options.Create(new ConcurrencyOptions { MaxParallelRuns = max, LockFolder = _dir.Combine("run-slots") }),
            Options.Create(new FileSystemOptions { RootPath = _dir.Path }),
            time ?? TimeProvider.System,
            NullLogger<RunConcurrencyLimiter>.Instance);
}
