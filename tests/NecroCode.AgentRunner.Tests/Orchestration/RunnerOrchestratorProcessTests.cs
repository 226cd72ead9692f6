using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Processes;

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
            while (await reader.ReadLineAsync() is { } json)
            {
                if (json.Contains("\"type\":\"output\"", StringComparison.Ordinal) && json.Contains("\"step\":\"implement\",\"stream\":\"StandardOutput\"", StringComparison.Ordinal))
                {
                    outputLines++;
                    last = json;
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

    private static CommandCodingAgent CommandAgent(OrchestratorHarness h, string script, ProcessRunnerOptions? processOptions = null)
    {
        var processes = new ProcessRunner(Options.Create(processOptions ?? new ProcessRunnerOptions()), TimeProvider.System, NullLogger<ProcessRunner>.Instance, h.Masker);
        var options = new CommandAgentOptions { Command = "/bin/sh", Arguments = ["-c", script], PromptMode = PromptMode.File };
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
