using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Tests.Concurrency;

#pragma warning disable CA1050 // The runtime looks for a StartupHook type in the global namespace.

/// <summary>The run-limiter modes of the child processes.</summary>
internal static partial class StartupHook
{
    private static RunConcurrencyLimiter Limiter() =>
        new(
            Options.Create(new ConcurrencyOptions { MaxParallelRuns = IntSetting("MAX"), LockFolder = Setting("FOLDER") }),
            Options.Create(new FileSystemOptions()),
            TimeProvider.System,
            NullLogger<RunConcurrencyLimiter>.Instance);

    /// <summary>Reports "ready", waits for the barrier file, takes a run permit, logs enter, works a little, logs exit and lets go.</summary>
    private static int RunSlot()
    {
        var name = Setting("NAME");
        var log = Setting("LOG");
        var barrier = Setting("BARRIER");
        var limiter = Limiter();
        Report("ready");
        while (!File.Exists(barrier))
        {
            Thread.Sleep(1);
        }

        var permit = limiter.AcquireAsync(CancellationToken.None).GetAwaiter().GetResult();
        OverlapLog.Append(log, "enter " + name);
        Thread.Sleep(50); // the "run": long enough for others to try to get in
        OverlapLog.Append(log, "exit " + name);
        permit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>Takes a run permit, reports "held" and keeps it until told (or killed).</summary>
    private static int HoldRunSlot()
    {
        var permit = Limiter().AcquireAsync(CancellationToken.None).GetAwaiter().GetResult();
        Report("held");
        AwaitFinish();
        permit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }
}
