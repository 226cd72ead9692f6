using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Benchmarks.Processes;

/// <summary>
/// Output streaming throughput (issue 4, performance a): a child prints <c>PROCESS_BENCH_MB</c> MiB (default 1024) in
/// lines of 100 bytes — <see cref="Producer"/> <c>file</c>: <c>cat</c> of a file (writes of 128 KiB);
/// <c>yes</c>: <c>yes … | head -n</c>, the test command of <c>eng/bench/overhead.sh</c>'s output row (writes of a few
/// KiB, as most programs print). Baseline: a plain <see cref="Process"/> whose stdout is read and thrown away. Runner: <see cref="ProcessRunner"/> with a real <see cref="SecretMasker"/>
/// (a few secrets) publishing every line as an <see cref="OutputLine"/> into a sink that serializes it as a JSON
/// line, like the run log. Peak managed memory of each pass is printed as <c>// PeakManagedMB</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class OutputStreamingBenchmarks
{
    private string _folder = string.Empty;
    private string _file = string.Empty;
    private ProcessRunner _runner = null!;
    private SecretMasker _masker = null!;

    /// <summary>What prints the output: <c>file</c> (<c>cat</c>) or <c>yes</c> (<c>yes | head</c>).</summary>
    [Params("file", "yes")]
    public string Producer { get; set; } = "file";

    /// <summary>The size of the output in MiB: <c>PROCESS_BENCH_MB</c>, default 1024.</summary>
    public static int SizeMiB => int.TryParse(Environment.GetEnvironmentVariable("PROCESS_BENCH_MB"), out var mb) && mb > 0 ? mb : 1024;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("necrocode-bench-").FullName;
        _file = Path.Combine(_folder, "output.txt");
        var line = new byte[100];
        Array.Fill(line, (byte)'x');
        line[^1] = (byte)'\n';
        using (var stream = new FileStream(_file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (long written = 0; written < SizeMiB * 1024L * 1024L; written += line.Length)
            {
                stream.Write(line);
            }
        }

        var lines = SizeMiB * 1024L * 1024L / line.Length;
        File.WriteAllText(
            Path.Combine(_folder, "print.sh"),
            $"yes \"build: compiled src/Module/Component.cs (0 warnings) in 12 ms; cache hit ratio 0.97 [worker 3/8]....\" | head -n {lines}\n");

        var masker = _masker = new SecretMasker();
        foreach (var secret in new[] { "hunter2-bench-secret", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "s3cr3t-passw0rd!", "AKIAIOSFODNN7EXAMPLE" })
        {
            masker.AddSecret(secret);
        }

        _runner = new ProcessRunner(Options.Create(new ProcessRunnerOptions()), TimeProvider.System, NullLogger<ProcessRunner>.Instance, masker);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "cat > discard (plain Process)")]
    public long PlainProcess()
    {
        using var peak = new PeakManagedMemory();
        using var process = Process.Start(new ProcessStartInfo(Command, Arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        var stdout = process.StandardOutput.BaseStream;
        while ((read = stdout.Read(buffer)) > 0)
        {
            total += read;
        }

        process.WaitForExit();
        Report(peak.PeakBytes);
        return total;
    }

    [Benchmark(Description = "ProcessRunner + masking + JSON lines")]
    public async Task<long> Runner()
    {
        using var peak = new PeakManagedMemory();
        var sink = new JsonLinesSink(Stream.Null);
        var spec = new ProcessSpec
        {
            FileName = Command,
            Arguments = Arguments,
            WorkingDirectory = _folder,
            Events = sink,
            StepName = "bench",
            Timeout = TimeSpan.FromHours(1),
        };
        var result = await _runner.RunAsync(spec, CancellationToken.None).ConfigureAwait(false);
        sink.Flush();
        Report(peak.PeakBytes);
        return result.ExitCode == 0 ? sink.Lines : -1;
    }

    /// <summary>
    /// The path of a real run: the output pumps publish into the run's event channel (masked once, in the pump;
    /// stamped, queued with back-pressure), whose loop writes each event as a run-log line (compact for output lines)
    /// into the buffered run log file.
    /// </summary>
    /// <returns>The number of events written.</returns>
    [Benchmark(Description = "ProcessRunner + run event channel + run log file")]
    public async Task<long> RunnerThroughRunLog()
    {
        using var peak = new PeakManagedMemory();
        var path = Path.Combine(_folder, "run-log.jsonl");
        var runLog = new NecroCode.AgentRunner.Events.RunLogWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, NecroCode.AgentRunner.Events.RunLogWriter.BufferSize));
        await using (runLog.ConfigureAwait(false))
        {
            var channel = new NecroCode.AgentRunner.Events.RunEventChannel("runner-bench", "bench", _masker, TimeProvider.System, [], NullLogger.Instance, runLog);
            var spec = new ProcessSpec
            {
                FileName = Command,
                Arguments = Arguments,
                WorkingDirectory = _folder,
                Events = channel,
                StepName = "bench",
                Timeout = TimeSpan.FromHours(1),
            };
            var result = await _runner.RunAsync(spec, CancellationToken.None).ConfigureAwait(false);
            await channel.CompleteAsync().ConfigureAwait(false);
            Report(peak.PeakBytes);
            return result.ExitCode == 0 ? channel.Count : -1;
        }
    }

    private string Command => Producer == "yes" ? "sh" : "cat";

    private string[] Arguments => Producer == "yes" ? [Path.Combine(_folder, "print.sh")] : [_file];

    private static void Report(long bytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// PeakManagedMB {bytes / (1024.0 * 1024.0):0.0}"));

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("Short"));
            AddColumn(new Shared.ThroughputColumn(SizeMiB, "bytes"));
        }
    }
}
