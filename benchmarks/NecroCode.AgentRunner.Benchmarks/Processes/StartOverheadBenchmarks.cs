using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Benchmarks.Processes;

/// <summary>
/// Start-to-exit overhead (issue 4, performance b): <c>true</c> through <see cref="ProcessRunner"/> (session
/// wrapper, redirected streams, tracking variable, /proc sampling and the leftover sweep) against a bare
/// <see cref="Process.Start(ProcessStartInfo)"/> and <see cref="Process.WaitForExit()"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class StartOverheadBenchmarks
{
    private ProcessRunner _runner = null!;
    private ProcessRunner _wrapper = null!;
    private ProcessRunner _noWrapper = null!;
    private string _folder = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("necrocode-bench-").FullName;
        _runner = new ProcessRunner(Options.Create(new ProcessRunnerOptions()), TimeProvider.System, NullLogger<ProcessRunner>.Instance);
        _wrapper = new ProcessRunner(Options.Create(new ProcessRunnerOptions { NativeSpawn = false }), TimeProvider.System, NullLogger<ProcessRunner>.Instance);
        _noWrapper = new ProcessRunner(Options.Create(new ProcessRunnerOptions { NativeSpawn = false, SessionWrapper = null }), TimeProvider.System, NullLogger<ProcessRunner>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "bare Process.Start + WaitForExit")]
#pragma warning disable CA1822 // BenchmarkDotNet calls instance methods.
    public int Bare()
#pragma warning restore CA1822
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [Benchmark(Description = "ProcessRunner (posix_spawn, new session)")]
    public async Task<int?> Runner() => (await _runner.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    [Benchmark(Description = "ProcessRunner through the setsid wrapper")]
    public async Task<int?> RunnerThroughWrapper() => (await _wrapper.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    [Benchmark(Description = "ProcessRunner, Process without a session")]
    public async Task<int?> RunnerWithoutWrapper() => (await _noWrapper.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    private ProcessSpec Spec() => new() { FileName = "true", WorkingDirectory = _folder, StepName = "bench", Timeout = TimeSpan.FromMinutes(1) };

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.ShortRun.WithId("Short"));
    }
}
