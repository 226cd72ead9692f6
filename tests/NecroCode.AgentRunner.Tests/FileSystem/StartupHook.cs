using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.FileSystem;

#pragma warning disable CA1050 // The runtime looks for a StartupHook type in the global namespace.

/// <summary>
/// Turns the test assembly into a child process for the cross-process tests: started as
/// <c>DOTNET_STARTUP_HOOKS=&lt;this assembly&gt; dotnet &lt;this assembly&gt;</c> with <c>NECROCODE_FSTEST_CHILD</c> set to
/// a mode, it does that mode's work and exits (with 0 on success) before the (empty) generated entry point runs.
/// Modes that hold something report on standard output and hold it until standard input is closed.
/// </summary>
internal static partial class StartupHook
{
    public static void Initialize()
    {
        var mode = Environment.GetEnvironmentVariable("NECROCODE_FSTEST_CHILD");
        if (mode is null)
        {
            return;
        }

        Environment.Exit(mode switch
        {
            "append-events" => AppendEvents(),
            "claim-task" => ClaimTask(),
            "hold-branch" => HoldBranch(),
            "stress" => Stress(),
            "run-slot" => RunSlot(),
            "hold-run-slot" => HoldRunSlot(),
            _ => 2,
        });
    }

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable("NECROCODE_FSTEST_" + name) ?? throw new InvalidOperationException($"NECROCODE_FSTEST_{name} is not set.");

    private static int IntSetting(string name) => int.Parse(Setting(name), CultureInfo.InvariantCulture);

    /// <summary>Reports a line to the test at once.</summary>
    private static void Report(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    /// <summary>Blocks until the test closes standard input.</summary>
    private static void AwaitFinish() => _ = Console.In.ReadToEnd();

    private static FileSystemTaskRegistry Registry(string root) =>
        new(Options.Create(new FileSystemOptions { RegistryPath = root, LockTimeout = TimeSpan.FromMinutes(2) }), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);

    private static int AppendEvents()
    {
        var writer = Setting("WRITER");
        var count = IntSetting("COUNT");
        var registry = Registry(Setting("ROOT"));
        var task = new TaskKey("spec", "shared");
        for (var i = 0; i < count; i++)
        {
            registry.AppendEventAsync(
                new TaskEvent(task, "Progress", DateTimeOffset.UtcNow, writer, $"{writer} {i}", new Dictionary<string, string> { ["seq"] = i.ToString(CultureInfo.InvariantCulture) }),
                CancellationToken.None).GetAwaiter().GetResult();
        }

        return 0;
    }

    /// <summary>Registers a runner, waits for the barrier file, claims the task, reports the outcome and stays alive until told.</summary>
    private static int ClaimTask()
    {
        var registry = Registry(Setting("ROOT"));
        var runnerId = Setting("RUNNER");
        var barrier = Setting("BARRIER");
        var task = new TaskKey("spec", "contested");
        registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, task, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), CancellationToken.None).GetAwaiter().GetResult();
        Report("ready");
        while (!File.Exists(barrier))
        {
            Thread.Sleep(1);
        }

        var claim = registry.TryClaimTaskAsync(task, runnerId, CancellationToken.None).GetAwaiter().GetResult();
        Report(claim.Claimed ? "claimed" : $"refused {claim.HeldBy}");
        AwaitFinish();
        return 0;
    }

    /// <summary>Takes a branch lock, reports "held" and keeps it until told.</summary>
    private static int HoldBranch()
    {
        var locks = new FileSystemBranchLocks(
            Options.Create(new FileSystemOptions { RegistryPath = Setting("ROOT") }), TimeProvider.System, NullLogger<FileSystemBranchLocks>.Instance);
        var held = locks.AcquireBranchAsync(Setting("BRANCH"), Setting("RUNNER"), Timeout.InfiniteTimeSpan, CancellationToken.None).GetAwaiter().GetResult();
        Report("held");
        AwaitFinish();
        held.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }
}
