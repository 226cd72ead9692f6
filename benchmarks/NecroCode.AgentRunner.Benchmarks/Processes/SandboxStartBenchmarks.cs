using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Sandboxing;

namespace NecroCode.AgentRunner.Benchmarks.Processes;

/// <summary>
/// Start-to-exit cost of a confined process: <c>true</c> through <see cref="ProcessRunner"/> unconfined against the same
/// under Landlock (a ruleset built per start, with the read grants around two hidden folders in the temporary folder)
/// and under bubblewrap, with the network left alone and with <see cref="SandboxNetwork.Hosts"/> (a proxy per process and
/// its socat relay inside a network namespace).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class SandboxStartBenchmarks
{
    private ProcessRunner _unconfined = null!;
    private ProcessRunner _landlock = null!;
    private ProcessRunner _bubblewrap = null!;
    private ProcessRunner _hosts = null!;
    private string _folder = string.Empty;
    private string _workspace = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("necrocode-bench-").FullName;
        _workspace = Directory.CreateDirectory(Path.Combine(_folder, "workspace")).FullName;
        IReadOnlyList<string> hidden = [Directory.CreateDirectory(Path.Combine(_folder, "state")).FullName, Directory.CreateDirectory(Path.Combine(_folder, "secrets")).FullName];
        _unconfined = Create(null);
        _landlock = Create(new ProcessSandbox(new SandboxOptions { Mode = SandboxMode.Landlock }, hidden, NullLogger.Instance));
        _bubblewrap = Create(new ProcessSandbox(new SandboxOptions { Mode = SandboxMode.Bubblewrap }, hidden, NullLogger.Instance));
        _hosts = Create(new ProcessSandbox(new SandboxOptions { Mode = SandboxMode.Bubblewrap, Network = SandboxNetwork.Hosts, AllowedHosts = ["api.example.com"] }, hidden, NullLogger.Instance));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "ProcessRunner, unconfined")]
    public async Task<int?> Unconfined() => (await _unconfined.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    [Benchmark(Description = "ProcessRunner, Landlock")]
    public async Task<int?> Landlock() => (await _landlock.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    [Benchmark(Description = "ProcessRunner, bubblewrap")]
    public async Task<int?> Bubblewrap() => (await _bubblewrap.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    [Benchmark(Description = "ProcessRunner, bubblewrap, network Hosts")]
    public async Task<int?> BubblewrapHosts() => (await _hosts.RunAsync(Spec(), CancellationToken.None).ConfigureAwait(false)).ExitCode;

    private static ProcessRunner Create(ProcessSandbox? sandbox) =>
        new(Options.Create(new ProcessRunnerOptions()), TimeProvider.System, NullLogger<ProcessRunner>.Instance, null, sandbox);

    private ProcessSpec Spec() => new() { FileName = "/bin/true", WorkingDirectory = _workspace, ConfinedTo = _workspace, StepName = "bench", Timeout = TimeSpan.FromMinutes(1) };

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.ShortRun.WithId("Short"));
    }
}
