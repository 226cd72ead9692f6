using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

/// <summary>
/// The registry side of many runs at once: 16 runner processes, 64 tasks, 8 slots, one registry, pool and
/// artifact store (see the "stress" mode of StartupHook for what each worker does).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class FileSystemStressTests
{
    private const int Workers = 16, Tasks = 64, Slots = 8;
    private static readonly string[] ExpectedTypes =
        [TaskEventTypes.TaskStarted, .. Enumerable.Repeat("Progress", StartupHook.StressProgressEvents), TaskEventTypes.ArtifactStored, TaskEventTypes.TaskCompleted];

    private TempFolder _dir = null!;
    private FileSystemOptions _options = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempFolder();
        _options = new FileSystemOptions { RootPath = _dir.Path };
        for (var i = 0; i < Slots; i++)
        {
            Directory.CreateDirectory(Path.Combine(_options.GetSlotsPath(), $"slot-{i}"));
        }
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task SixteenProcesses_SixtyFourTasksOverEightSlots_EveryTaskDoneOnceAndNothingLost()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var children = Enumerable.Range(0, Workers).Select(w => ChildProcess.Hook("stress", new Dictionary<string, string>
        {
            ["NECROCODE_FSTEST_ROOT"] = _dir.Path,
            ["NECROCODE_FSTEST_WORKER"] = w.ToString(CultureInfo.InvariantCulture),
            ["NECROCODE_FSTEST_TASKS"] = Tasks.ToString(CultureInfo.InvariantCulture),
        })).ToList();
        try
        {
            foreach (var child in children)
            {
                await child.WaitForSuccessAsync(cts.Token);
            }
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        var registry = new FileSystemTaskRegistry(Options.Create(_options), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        for (var t = 0; t < Tasks; t++)
        {
            await AssertDoneOnceAsync(registry, new TaskKey(StartupHook.StressSpec, $"task-{t:00}"));
        }

        Assert.That(Directory.GetFiles(Path.Combine(registry.RootPath, "tasks", StartupHook.StressSpec), "*.json"), Has.Length.EqualTo(Tasks));
        Assert.That(await registry.GetRunnersAsync(CancellationToken.None), Is.Empty, "every runner unregistered");
        Assert.That(Directory.GetFiles(Path.Combine(registry.RootPath, "runners")), Is.Empty, "no registration or identity file left");
        Assert.That(Directory.GetFiles(Path.Combine(_options.GetSlotsPath(), ".leases")).Select(Path.GetFileName), Is.EqualTo(new[] { "pool.lock" }), "no lease held");
        Assert.That(Directory.GetFileSystemEntries(_options.GetSlotsPath(), "holder", SearchOption.AllDirectories), Is.Empty);
        var pool = new FileSystemSlotPool(Options.Create(_options), TimeProvider.System, NullLogger<FileSystemSlotPool>.Instance);
        Assert.That(pool.GetSlotIds(), Has.Count.EqualTo(Slots));
    }

    private static async Task AssertDoneOnceAsync(FileSystemTaskRegistry registry, TaskKey task)
    {
        var record = await registry.GetTaskAsync(task, CancellationToken.None);
        var events = await registry.GetEventsAsync(task, CancellationToken.None);

        Assert.That(record?.State, Is.EqualTo(TaskState.Done), task.ToString());
        Assert.That(events.Select(e => e.Type), Is.EqualTo(ExpectedTypes), $"{task}: one run's events, none lost or repeated");
        var runner = events[0].RunnerId;
        Assert.That(events.Select(e => e.RunnerId), Is.All.EqualTo(runner), $"{task}: all events from the run that completed it");
        Assert.That(events.Where(e => e.Type == "Progress").Select(e => e.Data!["seq"]), Is.EqualTo(new[] { "0", "1", "2" }), task.ToString());
        var artifact = record!.Artifacts.Single();
        Assert.That(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(artifact.Uri!.LocalPath)), Is.EqualTo(runner), $"{task}: the artifact of the completing run");
    }
}
