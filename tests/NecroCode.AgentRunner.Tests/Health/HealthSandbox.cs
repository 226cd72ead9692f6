using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.Tests.Health;

/// <summary>A temp root with the file-system registry, slot pool and artifact store, and the readiness checks.</summary>
public sealed class HealthSandbox : IDisposable
{
    private readonly List<string> _immutable = [];
    private readonly TempFolder _folder = new("necrocode-health-");

    public HealthSandbox(Action<IServiceCollection>? configure = null, Action<AgentRunnerHealthCheckOptions>? options = null)
    {
        Root = _folder.Path;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<FileSystemOptions>().Configure(o => o.RootPath = Root);
        services.AddSingleton<ITaskRegistry, FileSystemTaskRegistry>();
        services.AddSingleton<ISlotPool, FileSystemSlotPool>();
        services.AddSingleton<IArtifactStore, FileSystemArtifactStore>();
        configure?.Invoke(services);
        services.AddHealthChecks().AddAgentRunnerHealthChecks(options);
        Services = services.BuildServiceProvider();
    }

    public string Root { get; }

    public ServiceProvider Services { get; }

    public string ArtifactsPath => Path.Combine(Root, "artifacts");

    public string SlotsPath => Path.Combine(Root, "slots");

    public RunnerReadiness Readiness => Services.GetRequiredService<RunnerReadiness>();

    /// <summary>Creates the artifact folder and one slot: everything ready.</summary>
    public HealthSandbox Ready()
    {
        Directory.CreateDirectory(ArtifactsPath);
        Directory.CreateDirectory(Path.Combine(SlotsPath, "slot-1"));
        return this;
    }

    public Task<HealthReport> CheckAsync() =>
        Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(AgentRunnerHealthChecks.ReadyTag), CancellationToken.None);

    /// <summary>Makes a folder unwritable, also for root (who ignores modes): mode 0555 plus the immutable attribute.</summary>
    public void MakeUnwritable(string folder)
    {
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || IsRoot())
        {
            Chattr("+i", folder);
            _immutable.Add(folder);
        }
    }

    public void Dispose()
    {
        foreach (var folder in _immutable)
        {
            Chattr("-i", folder);
        }

        Services.Dispose();
        _folder.Dispose();
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static void Chattr(string flag, string folder)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, folder]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {flag} '{folder}' failed: {error}");
        }
    }
}
