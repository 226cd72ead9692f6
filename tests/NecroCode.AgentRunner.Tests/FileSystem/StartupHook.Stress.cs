using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.FileSystem;

#pragma warning disable CA1050 // The runtime looks for a StartupHook type in the global namespace.

/// <summary>The stress worker: the registry side of many tasks, against a registry, slot pool and artifact store shared with other workers.</summary>
internal static partial class StartupHook
{
    public const string StressSpec = "stress";
    public const int StressProgressEvents = 3;
    public const string StressArtifact = "result.txt";

    private static int Stress() => StressAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Walks every task (each worker from its own starting point, so workers contend for tasks): skips Done
    /// tasks, registers a runner, claims, and for a won claim takes a slot (waiting), records the run's events
    /// and artifact, sets Done, releases the slot, unregisters. A claim won on a task another worker finished
    /// in the meantime is handed back as Done (its log already holds TaskCompleted), as a resumed run would.
    /// </summary>
    private static async Task<int> StressAsync()
    {
        var worker = IntSetting("WORKER");
        var tasks = IntSetting("TASKS");
        var options = Options.Create(new FileSystemOptions
        {
            RootPath = Setting("ROOT"),
            LockTimeout = TimeSpan.FromMinutes(2),
            SlotAcquireTimeout = TimeSpan.FromMinutes(5),
            SlotPollInterval = TimeSpan.FromMilliseconds(10),
        });
        var registry = new FileSystemTaskRegistry(options, TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        var pool = new FileSystemSlotPool(options, TimeProvider.System, NullLogger<FileSystemSlotPool>.Instance);
        var store = new FileSystemArtifactStore(options, NullLogger<FileSystemArtifactStore>.Instance);
        var ct = CancellationToken.None;
        for (var k = 0; k < tasks; k++)
        {
            var t = (worker * 4 + k) % tasks;
            var key = new TaskKey(StressSpec, $"task-{t.ToString("00", CultureInfo.InvariantCulture)}");
            if ((await registry.GetTaskAsync(key, ct))?.State == TaskState.Done)
            {
                continue;
            }

            var runnerId = $"w{worker.ToString(CultureInfo.InvariantCulture)}-{key.TaskId}";
            await registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, key, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), ct);
            try
            {
                if (!(await registry.TryClaimTaskAsync(key, runnerId, ct)).Claimed)
                {
                    continue;
                }

                if ((await registry.GetEventsAsync(key, ct)).Any(e => e.Type == TaskEventTypes.TaskCompleted))
                {
                    await registry.SetTaskStateAsync(key, TaskState.Done, runnerId, ct);
                    continue;
                }

                var lease = await pool.AcquireAsync(new SlotRequest(key, runnerId), ct);
                var marker = Path.Combine(lease.Path, "holder");
                try
                {
                    // CreateNew fails when another holder's marker is there: two holders of one slot.
                    using var created = new FileStream(marker, FileMode.CreateNew, FileAccess.Write);
                }
                catch (IOException ex)
                {
                    await Console.Error.WriteLineAsync($"slot {lease.SlotId} shared: {ex.Message}");
                    return 3;
                }

                try
                {
                    await RunStressTaskAsync(registry, store, key, runnerId, lease.SlotId, ct);
                }
                finally
                {
                    File.Delete(marker);
                    await pool.ReleaseAsync(lease, ct);
                }
            }
            finally
            {
                await registry.UnregisterRunnerAsync(runnerId, ct);
            }
        }

        return 0;
    }

    private static async Task RunStressTaskAsync(FileSystemTaskRegistry registry, FileSystemArtifactStore store, TaskKey key, string runnerId, string slotId, CancellationToken ct)
    {
        await registry.AppendEventAsync(new TaskEvent(key, TaskEventTypes.TaskStarted, DateTimeOffset.UtcNow, runnerId, Data: new Dictionary<string, string> { ["slot"] = slotId }), ct);
        for (var i = 0; i < StressProgressEvents; i++)
        {
            await registry.AppendEventAsync(
                new TaskEvent(key, "Progress", DateTimeOffset.UtcNow, runnerId, Data: new Dictionary<string, string> { ["seq"] = i.ToString(CultureInfo.InvariantCulture) }), ct);
        }

        var content = Encoding.UTF8.GetBytes(runnerId);
        var uri = await store.StoreAsync(new ArtifactKey(key, runnerId, StressArtifact), new MemoryStream(content), ct);
        await registry.AddArtifactAsync(key, new ArtifactRecord(ArtifactKind.Other, StressArtifact, uri, content.Length, Convert.ToHexStringLower(SHA256.HashData(content))), runnerId, ct);
        await registry.AppendEventAsync(new TaskEvent(key, TaskEventTypes.ArtifactStored, DateTimeOffset.UtcNow, runnerId, Data: new Dictionary<string, string> { ["uri"] = uri.ToString() }), ct);
        await registry.AppendEventAsync(new TaskEvent(key, TaskEventTypes.TaskCompleted, DateTimeOffset.UtcNow, runnerId), ct);
        await registry.SetTaskStateAsync(key, TaskState.Done, runnerId, ct);
    }
}
