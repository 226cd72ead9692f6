using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Processes;

public sealed partial class ProcessRunnerTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task RunAsync_NativeOrWrapperStart_ChildLeadsItsOwnSession(bool nativeSpawn)
    {
        var spec = Script("echo $$; cut -d' ' -f5,6 /proc/$$/stat");

        var result = await CreateRunner(o => o.NativeSpawn = nativeSpawn).RunAsync(spec, CancellationToken.None);

        var lines = result.StandardOutput.Split('\n');
        Assert.That(lines[1], Is.EqualTo($"{lines[0]} {lines[0]}"), "process group and session id equal the child's pid");
    }

    [Test]
    public async Task RunAsync_NativeStart_NoStandardSignalIgnoredOrBlocked()
    {
        // exec: the shell must not fork first (it blocks every signal for a moment around a fork).
        var spec = Script("exec grep -E '^Sig(Blk|Ign):' /proc/self/status");

        var result = await CreateRunner(o => o.NativeSpawn = true).RunAsync(spec, CancellationToken.None);

        // Bit n-1 stands for signal n; the standard signals 1–31 must all be deliverable (the C library may keep its
        // two internal real-time signals, 32 and 33, ignored).
        var masks = result.StandardOutput.Split('\n').Select(l => l.Split('\t')).ToDictionary(p => p[0], p => Convert.ToUInt64(p[1], 16));
        Assert.Multiple(() =>
        {
            Assert.That(masks["SigBlk:"] & 0x7FFF_FFFFUL, Is.Zero, "blocked");
            Assert.That(masks["SigIgn:"] & 0x7FFF_FFFFUL, Is.Zero, "ignored");
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task RunAsync_ChildKilledBySignal_ExitCodeIs128PlusTheSignal(bool nativeSpawn)
    {
        var result = await CreateRunner(o => o.NativeSpawn = nativeSpawn).RunAsync(Script("kill -9 $$"), CancellationToken.None);

        Assert.That(result.ExitCode, Is.EqualTo(137));
    }

    [Test]
    public void RunAsync_ProgramNotExecutable_ThrowsProcessStartExceptionNamingIt()
    {
        var path = Path.Combine(_dir.Path, "not-executable.sh");
        File.WriteAllText(path, "#!/bin/sh\necho hi\n");
        var spec = Script("true") with { FileName = path };

        var exception = Assert.ThrowsAsync<ProcessStartException>(() => CreateRunner().RunAsync(spec, CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("not-executable.sh"));
    }

    [Test]
    public void RunAsync_ArgumentWithNulCharacter_ThrowsProcessStartExceptionAndStartsNothing()
    {
        var marker = Path.Combine(_dir.Path, "ran");
        var spec = Script($"touch '{marker}'") with { Arguments = ["a\0b"] };

        var exception = Assert.ThrowsAsync<ProcessStartException>(() => CreateRunner().RunAsync(spec, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("NUL"));
            Assert.That(File.Exists(marker), Is.False);
        });
    }

    [Test]
    public async Task RunAsync_ManyChildrenAtOnce_EachGetsItsOwnStreamsAndNoDescriptorLeaks()
    {
        var runner = CreateRunner();
        var before = Directory.GetFiles("/proc/self/fd").Length;

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            runner.RunAsync(Script($"read line; echo \"out {i} $line\"; echo \"err {i}\" >&2") with { StandardInput = $"in {i}\n" }, CancellationToken.None)));

        var after = Directory.GetFiles("/proc/self/fd").Length;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < results.Length; i++)
            {
                Assert.That(results[i].StandardOutput, Is.EqualTo($"out {i} in {i}"));
                Assert.That(results[i].StandardError, Is.EqualTo($"err {i}"));
                Assert.That(results[i].ExitCode, Is.Zero);
            }

            // Other tests run in parallel and open files too: allow a little slack, not 3 pipes × 40 children.
            Assert.That(after, Is.LessThan(before + 20), "the parent's pipe ends are closed");
        });
    }

    [Test]
    public void EveryChildIsReapedByOthers_OrdinaryProcessWithDefaultChildSignal_IsFalse() =>
        Assert.That(PosixSpawn.EveryChildIsReapedByOthers(), Is.False);

    [Test]
    public async Task RunAsync_ChildShorterThanOneSample_CpuTimeStillReported()
    {
        // Arrange: no sample of /proc is taken while the child runs; only what the kernel reports when it is reaped.
        var runner = CreateRunner(o => (o.NativeSpawn, o.SampleInterval) = (true, TimeSpan.FromMinutes(5)));
        var spec = Script("exec python3 -c \"b = bytearray(64 * 1024 * 1024); i = 0\nwhile i < 3000000: i += 1\"");

        // Act
        var result = await runner.RunAsync(spec, CancellationToken.None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.CpuTime, Is.GreaterThan(TimeSpan.Zero));
        });
    }
}
