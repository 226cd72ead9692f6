using System.Globalization;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Processes;

public sealed partial class ProcessRunnerTests
{
    private const string MarkName = "NECRO_TEST_MARK";

    /// <summary>
    /// A child that starts a grandchild ignoring SIGINT/SIGTERM and a double-forked daemon in a session of
    /// its own (also ignoring them), writes their pids, prints "ready" and waits forever.
    /// </summary>
    private string StubbornTree() => $"""
        sh -c 'trap "" INT TERM; echo $$ > {_dir.Combine("grandchild.pid")}; while :; do sleep 1; done' &
        ( setsid sh -c 'trap "" INT TERM HUP; echo $$ > {_dir.Combine("daemon.pid")}; while :; do sleep 1; done' </dev/null >/dev/null 2>&1 & )
        while [ ! -s {_dir.Combine("grandchild.pid")} ] || [ ! -s {_dir.Combine("daemon.pid")} ]; do sleep 0.1; done
        echo ready
        while :; do sleep 1; done
        """;

    private int ReadPid(string name) => int.Parse(File.ReadAllText(_dir.Combine(name)).Trim(), CultureInfo.InvariantCulture);

    [Test]
    public async Task RunAsync_Timeout_StopsWholeTreeIncludingDaemons()
    {
        var mark = Guid.NewGuid().ToString("N");
        var sink = new RecordingEventSink();
        var spec = Script(StubbornTree(), sink, new Dictionary<string, string?> { [MarkName] = mark }, TimeSpan.FromSeconds(8));

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(sink.LinesOf(OutputSource.StandardOutput), Does.Contain("ready"), "the tree was complete before the timeout");
            Assert.That(result.TimedOut, Is.True);
            Assert.That(result.ExitCode, Is.Null);
            Assert.That(result.StandardError.Split('\n')[^1], Does.StartWith("necrocode-runner: timed-out: timed out after 8 s"));
            Assert.That(ProcessProbe.IsAlive(ReadPid("grandchild.pid")), Is.False);
            Assert.That(ProcessProbe.IsAlive(ReadPid("daemon.pid")), Is.False);
            Assert.That(ProcessProbe.LiveProcessesWithVariable(MarkName, mark), Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_Cancelled_StopsWholeTreeThenThrows()
    {
        var mark = Guid.NewGuid().ToString("N");
        using var cts = new CancellationTokenSource();
        var sink = new RecordingEventSink(e =>
        {
            if (e is OutputLine { Text: "ready" })
            {
                cts.Cancel();
            }
        });
        var spec = Script(StubbornTree(), sink, new Dictionary<string, string?> { [MarkName] = mark });

        Assert.ThrowsAsync<OperationCanceledException>(async () => await CreateRunner().RunAsync(spec, cts.Token));

        Assert.Multiple(() =>
        {
            Assert.That(ProcessProbe.IsAlive(ReadPid("grandchild.pid")), Is.False);
            Assert.That(ProcessProbe.IsAlive(ReadPid("daemon.pid")), Is.False);
            Assert.That(ProcessProbe.LiveProcessesWithVariable(MarkName, mark), Is.Empty);
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task RunAsync_MemoryLimitExceeded_StopsTreeWithReason()
    {
        var mark = Guid.NewGuid().ToString("N");
        var sink = new RecordingEventSink();
        var spec = Script("exec python3 -c \"import time; b = b'x' * (400 * 1024 * 1024); time.sleep(600)\"", sink, new Dictionary<string, string?> { [MarkName] = mark });

        var result = await CreateRunner(o => o.MemoryLimitBytes = 100L * 1024 * 1024).RunAsync(spec, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Null);
            Assert.That(result.TimedOut, Is.False);
            Assert.That(result.StandardError.Split('\n')[^1], Does.StartWith("necrocode-runner: memory-limit-exceeded: memory limit of 100 MiB exceeded"));
            Assert.That(result.StopReason, Is.EqualTo(ProcessStopReason.MemoryLimitExceeded));
            Assert.That(result.StopMessage, Does.StartWith("memory limit of 100 MiB exceeded: the process tree used "));
            Assert.That(result.PeakMemoryBytes, Is.GreaterThan(100L * 1024 * 1024));
            Assert.That(sink.Events.OfType<RunWarning>().Select(w => w.Message), Has.Some.Contains("memory limit of 100 MiB exceeded"));
            Assert.That(ProcessProbe.LiveProcessesWithVariable(MarkName, mark), Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_CpuSpinPastLimit_StopsTreeWithReason()
    {
        var spec = Script("while :; do :; done");

        var result = await CreateRunner(o => o.CpuTimeLimit = TimeSpan.FromSeconds(1)).RunAsync(spec, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Null);
            Assert.That(result.StandardError.Split('\n')[^1], Does.StartWith("necrocode-runner: cpu-time-limit-exceeded: CPU time limit of 1 s exceeded"));
            Assert.That(result.StopReason, Is.EqualTo(ProcessStopReason.CpuTimeLimitExceeded));
            Assert.That(result.CpuTime, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task RunAsync_ForkingCpuBurner_HitsCpuTimeLimit()
    {
        // Arrange: a shell that keeps starting short-lived busy children; each lives well under one sample interval,
        // so its time shows only in the parent's reaped-children time. The timeout is only a safety net.
        var spec = Script("while :; do sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done'; done") with { Timeout = TimeSpan.FromMinutes(3) };

        // Act
        var result = await CreateRunner(o => o.CpuTimeLimit = TimeSpan.FromSeconds(1)).RunAsync(spec, CancellationToken.None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.StopReason, Is.EqualTo(ProcessStopReason.CpuTimeLimitExceeded), result.StandardError);
            Assert.That(result.StopMessage, Does.StartWith("CPU time limit of 1 s exceeded"));
            Assert.That(result.CpuTime, Is.GreaterThan(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task RunAsync_SpecLimitTighterThanOptions_SpecLimitApplies()
    {
        // Arrange: the options allow 1 GiB, the spec 64 MiB.
        var spec = Script("exec python3 -c \"import time; b = b'x' * (200 * 1024 * 1024); time.sleep(600)\"") with { MemoryLimitBytes = 64L * 1024 * 1024 };

        // Act
        var result = await CreateRunner(o => o.MemoryLimitBytes = 1024L * 1024 * 1024).RunAsync(spec, CancellationToken.None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.StopReason, Is.EqualTo(ProcessStopReason.MemoryLimitExceeded));
            Assert.That(result.LimitExceeded, Is.True);
            Assert.That(result.StopMessage, Does.StartWith("memory limit of 64 MiB exceeded"));
        });
    }

    [Test]
    public async Task RunAsync_MemoryNearLimit_PublishesWarningAndExitsNormally()
    {
        // Arrange: the tree grows to about 85 % of a 200 MiB limit, stays there for a few samples, then exits 0.
        var sink = new RecordingEventSink();
        var spec = Script("exec python3 -c \"import time; b = b'x' * (160 * 1024 * 1024); time.sleep(1.5)\"", sink);

        // Act
        var result = await CreateRunner(o =>
        {
            o.MemoryLimitBytes = 200L * 1024 * 1024;
            o.SampleInterval = TimeSpan.FromMilliseconds(50);
        }).RunAsync(spec, CancellationToken.None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.StopReason, Is.EqualTo(ProcessStopReason.Exited));
            Assert.That(result.StopMessage, Is.Null);
            Assert.That(result.PeakMemoryBytes, Is.GreaterThan(160L * 1024 * 1024));
            Assert.That(sink.Events.OfType<RunWarning>().Select(w => w.Message), Has.One.StartsWith("the process tree uses ").And.EndsWith(" MiB of its 200 MiB memory limit."));
            Assert.That(sink.Events.OfType<RunWarning>().Select(w => w.Message), Has.None.Contains("exceeded"));
        });
    }

    [Test]
    public async Task RunAsync_CpuUseNearLimit_PublishesWarning()
    {
        var sink = new RecordingEventSink();
        var spec = Script("exec python3 -c \"import time\nwhile time.process_time() < 2: pass\"", sink);

        var result = await CreateRunner(o =>
        {
            o.CpuTimeLimit = TimeSpan.FromSeconds(20);
            o.LimitWarningThreshold = 0.05;
        }).RunAsync(spec, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(sink.Events.OfType<RunWarning>().Select(w => w.Message), Has.Some.Contains("CPU time limit"));
        });
    }

    [Test]
    public async Task RunAsync_OutputFlood_KeepsOnlyTailInBoundedMemory()
    {
        // 200 MB in lines of 101 bytes.
        var sink = new CountingEventSink();
        var spec = Script("yes \"$(printf '%0100d' 7)\" | head -c 200000000; echo; echo last-line", sink) with { CaptureLimit = 64 * 1024 };
        using var sampling = new CancellationTokenSource();
        long peak = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20, CancellationToken.None);
            }
        });

        var result = await CreateRunner().RunAsync(spec, CancellationToken.None);
        await sampling.CancelAsync();
        await sampler;

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.StandardOutput, Has.Length.LessThanOrEqualTo(64 * 1024));
            Assert.That(result.StandardOutput, Does.EndWith("\nlast-line"));
            Assert.That(sink.Lines, Is.GreaterThan(200_000_000 / 101));
            Assert.That(peak, Is.LessThan(256L * 1024 * 1024), "managed memory stays far below the 200 MB printed");
        });
    }
}
