using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.Orchestration;

/// <summary>Runs through the orchestrator whose agent and tests are real processes.</summary>
[TestFixture]
[NonParallelizable] // measures the process-wide managed heap
public sealed class RunnerOrchestratorProcessTests
{
    private const long FloodLines = 2_000_000;

    [Test]
    [Category("Integration")]
    public async Task RunAsync_AgentFloodsOutput_MemoryStaysBoundedAndRunLogHoldsEveryLine()
    {
        // Arrange: an agent that prints ~200 MB in 100-character lines, then a marker line, then changes a file.
        using var h = new OrchestratorHarness();
        h.ArtifactStore = new FileSystemArtifactStore(Options.Create(new FileSystemOptions { RootPath = Path.Combine(h.Root, "store") }), NullLogger<FileSystemArtifactStore>.Instance);
        var line = new string('x', 100);
        h.Agent = CommandAgent(h, $"yes {line} | head -n {FloodLines.ToString(CultureInfo.InvariantCulture)}; echo flood-end; echo done > flood.txt");
        using var sampler = new HeapSampler();

        // Act
        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);
        var peak = sampler.Stop();

        // Assert
        await TestContext.Out.WriteLineAsync($"peak managed heap: {peak / (1024 * 1024)} MiB");
        var runLog = result.Artifacts.Single(a => a.Kind == ArtifactKind.RunLog);
        long outputLines = 0;
        string? last = null;
        await using (var stream = await h.ArtifactStore.OpenReadAsync(runLog.Uri!, CancellationToken.None))
        using (var reader = new StreamReader(stream))
        {
            var log = new RunLogReader();
            while (await reader.ReadLineAsync() is { } json)
            {
                if (log.Read(json) is OutputLine { Step: "implement", Stream: OutputSource.StandardOutput } output)
                {
                    outputLines++;
                    last = output.Text;
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(outputLines, Is.EqualTo(FloodLines + 1));
            Assert.That(last, Does.Contain("flood-end"));
            Assert.That(peak, Is.LessThan(200L * 1024 * 1024), $"peak managed heap {peak / (1024 * 1024)} MiB");
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_TestCommandPastMemoryLimit_FailedWithTheLimitAndNoFixAttempt()
    {
        // Arrange: a test command that allocates 300 MiB under a 64 MiB limit; fixes would be allowed.
        using var h = new OrchestratorHarness();
        var processes = new ProcessRunner(Options.Create(new ProcessRunnerOptions { MemoryLimitBytes = 64L * 1024 * 1024, SampleInterval = TimeSpan.FromMilliseconds(50) }), TimeProvider.System, NullLogger<ProcessRunner>.Instance, h.Masker);
        h.Tests = new ProcessTestRunner(processes, Options.Create(new TestRunnerOptions()), TimeProvider.System, NullLogger<ProcessTestRunner>.Instance);
        h.Options.MaxFixAttempts = 2;
        var task = OrchestratorHarness.Task() with { TestCommands = ["exec python3 -c \"import time; b = b'x' * (300 * 1024 * 1024); time.sleep(600)\""] };

        // Act
        var result = await h.Create().RunAsync(task, CancellationToken.None);

        // Assert
        var test = result.Steps.Single(s => s.Name == "test");
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.ResourceLimitExceeded));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(result.Error!.Step, Is.EqualTo("test"));
            Assert.That(result.Error.Message, Does.Contain("memory limit of 64 MiB exceeded"));
            Assert.That(result.Implementations, Has.Count.EqualTo(1), "no fix was asked for");
            Assert.That(result.Tests!.Commands.Single().Outcome, Is.EqualTo(TestOutcome.LimitExceeded));
            Assert.That(test.Outcome, Is.EqualTo(StepOutcome.Failed));
            Assert.That(test.PeakMemoryBytes, Is.GreaterThan(64L * 1024 * 1024));
            Assert.That(test.CpuTime, Is.Not.Null);
            // The run's peak is its largest step's: the baseline (taken in the implement step) ran the same command.
            Assert.That(result.PeakMemoryBytes, Is.EqualTo(result.Steps.Max(s => s.PeakMemoryBytes)).And.GreaterThanOrEqualTo(test.PeakMemoryBytes!.Value));
            Assert.That(h.Workspace.Commits, Is.Empty);
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_AgentTreeWithStubbornDaemonTimesOut_NoProcessLeftAndFailedWithTimeout()
    {
        // Arrange: the agent starts a double-forked daemon that ignores SIGINT, SIGTERM and SIGHUP, then waits forever.
        using var h = new OrchestratorHarness();
        var mark = Guid.NewGuid().ToString("N");
        var daemonPid = Path.Combine(h.Root, "daemon.pid");
        var script = $"""
            ( setsid sh -c 'trap "" INT TERM HUP; echo $$ > {daemonPid}; while :; do sleep 1; done' </dev/null >/dev/null 2>&1 & )
            while [ ! -s {daemonPid} ]; do sleep 0.1; done
            echo daemon started
            while :; do sleep 1; done
            """;
        var processOptions = new ProcessRunnerOptions { InterruptGracePeriod = TimeSpan.FromSeconds(1), TerminateGracePeriod = TimeSpan.FromSeconds(1) };
        h.Agent = CommandAgent(h, script, processOptions, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(5);
            o.Environment["NECRO_TEST_MARK"] = mark;
        });

        // Act
        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut));
            Assert.That(result.State, Is.EqualTo(RunnerState.Failed));
            Assert.That(result.Error!.Step, Is.EqualTo("implement"));
            Assert.That(result.Error.Message, Does.Contain("timed out"));
            Assert.That(File.Exists(daemonPid), Is.True, "the daemon had started");
            Assert.That(ProcessProbe.IsAlive(int.Parse(File.ReadAllText(daemonPid).Trim(), CultureInfo.InvariantCulture)), Is.False);
            Assert.That(ProcessProbe.LiveProcessesWithVariable("NECRO_TEST_MARK", mark), Is.Empty);
            Assert.That(h.Slots.Held, Is.Empty);
        });
    }

    private static CommandCodingAgent CommandAgent(OrchestratorHarness h, string script, ProcessRunnerOptions? processOptions = null, Action<CommandAgentOptions>? configure = null)
    {
        var processes = new ProcessRunner(Options.Create(processOptions ?? new ProcessRunnerOptions()), TimeProvider.System, NullLogger<ProcessRunner>.Instance, h.Masker);
        var options = new CommandAgentOptions { Command = "/bin/sh", Arguments = ["-c", script], PromptMode = PromptMode.File };
        configure?.Invoke(options);
        return new CommandCodingAgent(processes, Options.Create(options), NullLogger<CommandCodingAgent>.Instance);
    }

    /// <summary>Samples the managed heap on its own thread until stopped; the peak is the highest sample.</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public HeapSampler()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            _thread = new Thread(Run) { IsBackground = true, Name = "heap sampler" };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }

        private void Run()
        {
            while (!_stop)
            {
                var sample = Math.Max(GC.GetGCMemoryInfo().HeapSizeBytes, GC.GetTotalMemory(forceFullCollection: false));
                if (sample > _peak)
                {
                    Interlocked.Exchange(ref _peak, sample);
                }

                Thread.Sleep(5);
            }
        }
    }
}
