using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.FileSystem;

#pragma warning disable CA1050 // The runtime looks for a StartupHook type in the global namespace.

/// <summary>
/// Turns the test assembly into a child process for the cross-process tests: started as
/// <c>DOTNET_STARTUP_HOOKS=&lt;this assembly&gt; dotnet &lt;this assembly&gt;</c> with <c>NECROCODE_FSTEST_CHILD</c> set,
/// it appends events to a registry and exits before the (empty) generated entry point runs.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var mode = Environment.GetEnvironmentVariable("NECROCODE_FSTEST_CHILD");
        if (mode != "append-events")
        {
            return;
        }

        var root = Environment.GetEnvironmentVariable("NECROCODE_FSTEST_ROOT")!;
        var writer = Environment.GetEnvironmentVariable("NECROCODE_FSTEST_WRITER")!;
        var count = int.Parse(Environment.GetEnvironmentVariable("NECROCODE_FSTEST_COUNT")!, CultureInfo.InvariantCulture);
        var registry = new FileSystemTaskRegistry(
            Options.Create(new FileSystemOptions { RegistryPath = root, LockTimeout = TimeSpan.FromMinutes(2) }),
            TimeProvider.System,
            NullLogger<FileSystemTaskRegistry>.Instance);
        var task = new TaskKey("spec", "shared");
        for (var i = 0; i < count; i++)
        {
            registry.AppendEventAsync(
                new TaskEvent(task, "Progress", DateTimeOffset.UtcNow, writer, $"{writer} {i}", new Dictionary<string, string> { ["seq"] = i.ToString(CultureInfo.InvariantCulture) }),
                CancellationToken.None).GetAwaiter().GetResult();
        }

        Environment.Exit(0);
    }
}
