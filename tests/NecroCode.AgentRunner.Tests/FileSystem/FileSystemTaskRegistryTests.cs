using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed partial class FileSystemTaskRegistryTests
{
    private static readonly TaskKey Task1 = new("spec", "task-1");
    private TempFolder _dir = null!;
    private FileSystemTaskRegistry _registry = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempFolder();
        _registry = Create(TimeSpan.FromMinutes(1));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task SetTaskStateAsync_NewTask_RoundTrips()
    {
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);

        Assert.That(record, Is.Not.Null);
        Assert.That((record!.Task, record.State, record.RunnerId, record.Artifacts.Count), Is.EqualTo((Task1, TaskState.Running, "runner-1", 0)));
    }

    [Test]
    public async Task GetTaskAsync_UnknownTask_ReturnsNull()
    {
        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);

        Assert.That(record, Is.Null);
    }

    [Test]
    public async Task AddArtifactAsync_SameName_ReplacesRecord()
    {
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);
        await _registry.AddArtifactAsync(Task1, new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("file:///a/1"), 1, "aa"), "runner-a", CancellationToken.None);
        await _registry.AddArtifactAsync(Task1, new ArtifactRecord(ArtifactKind.RunLog, "run.jsonl", new Uri("file:///a/2"), 2, "bb"), "runner-a", CancellationToken.None);

        await _registry.AddArtifactAsync(Task1, new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("file:///a/3"), 3, "cc"), "runner-a", CancellationToken.None);

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(record!.Artifacts.Select(a => $"{a.Name}={a.Uri}"), Is.EquivalentTo(new[] { "run.jsonl=file:///a/2", "diff.patch=file:///a/3" }));
    }

    [Test]
    public async Task AddArtifactAsync_ConcurrentInProcess_KeepsEveryArtifact()
    {
        var names = Enumerable.Range(0, 16).Select(i => $"artifact-{i}.txt").ToList();

        await Task.WhenAll(names.Select(name => Task.Run(() =>
            _registry.AddArtifactAsync(Task1, new ArtifactRecord(ArtifactKind.Other, name, new Uri($"file:///a/{name}"), 1, "aa"), "runner-a", CancellationToken.None))));

        var record = await _registry.GetTaskAsync(Task1, CancellationToken.None);
        Assert.That(record!.Artifacts.Select(a => a.Name), Is.EquivalentTo(names));
    }

    [Test]
    public async Task AppendEventAsync_SeveralEvents_ReadBackInOrder()
    {
        var types = new[] { TaskEventTypes.TaskStarted, TaskEventTypes.ArtifactStored, TaskEventTypes.TaskCompleted };
        foreach (var type in types)
        {
            await _registry.AppendEventAsync(new TaskEvent(Task1, type, DateTimeOffset.UnixEpoch, "runner-1", "line\nbreak", new Dictionary<string, string> { ["k"] = "v" }), CancellationToken.None);
        }

        var events = await _registry.GetEventsAsync(Task1, CancellationToken.None);

        Assert.That(events.Select(e => e.Type), Is.EqualTo(types));
        Assert.That(events[0].Message, Is.EqualTo("line\nbreak"));
        Assert.That(File.ReadAllLines(Path.Combine(_registry.RootPath, "tasks", "spec", "task-1.events.jsonl")), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task AppendEventAsync_ConcurrentWritersInProcess_LosesNothing()
    {
        const int Writers = 8, PerWriter = 25;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await _registry.AppendEventAsync(Event($"w{w}", i), CancellationToken.None);
            }
        })));

        var events = await _registry.GetEventsAsync(new TaskKey("spec", "shared"), CancellationToken.None);
        AssertEveryWriterComplete(events, Writers, PerWriter);
    }

    [Test]
    [Category("Integration")]
    public async Task AppendEventAsync_ConcurrentProcessesWithFileLockingDisabled_LosesNothing()
    {
        const int Writers = 4, PerWriter = 40;
        var children = Enumerable.Range(0, Writers).Select(w => ChildProcess.AppendEvents(_registry.RootPath, $"w{w}", PerWriter)).ToList();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            foreach (var child in children)
            {
                await child.Process.WaitForExitAsync(cts.Token);
                Assert.That(child.Process.ExitCode, Is.Zero, await child.Process.StandardError.ReadToEndAsync(cts.Token));
            }
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        var events = await _registry.GetEventsAsync(new TaskKey("spec", "shared"), CancellationToken.None);
        AssertEveryWriterComplete(events, Writers, PerWriter);
    }

    [Test]
    [Category("Integration")]
    public async Task AppendEventAsync_TaskLockHeldByOtherProcess_ThrowsTransientRegistryException()
    {
        var registry = Create(TimeSpan.FromMilliseconds(50));
        using var holder = ChildProcess.HoldFlock(Path.Combine(registry.RootPath, "tasks", "spec", "task-1.lock"));

        var ex = Assert.ThrowsAsync<RegistryException>(() => registry.AppendEventAsync(Event("w", 0) with { Task = Task1 }, CancellationToken.None));

        Assert.That((ex!.IsTransient, ex.Message.Contains("task-1.lock", StringComparison.Ordinal)), Is.EqualTo((true, true)));
        Assert.That(await registry.GetTaskAsync(Task1, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task GetTaskAsync_CorruptJson_ThrowsNamingFile()
    {
        await _registry.SetTaskStateAsync(Task1, TaskState.Running, "runner-1", CancellationToken.None);
        var path = Path.Combine(_registry.RootPath, "tasks", "spec", "task-1.json");
        var content = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, content[..(content.Length / 2)]);

        var ex = Assert.ThrowsAsync<RegistryException>(() => _registry.GetTaskAsync(Task1, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(path));
    }

    [Test]
    public async Task SetTaskStateAsync_CorruptJson_ThrowsAndLeavesFile()
    {
        var path = Path.Combine(_registry.RootPath, "tasks", "spec", "task-1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"task\":");

        var ex = Assert.ThrowsAsync<RegistryException>(() => _registry.SetTaskStateAsync(Task1, TaskState.Done, "runner-1", CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(path));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("{\"task\":"));
    }

    [Test]
    public async Task GetEventsAsync_TornLastLine_ThrowsNamingFile()
    {
        await _registry.AppendEventAsync(Event("w", 0) with { Task = Task1 }, CancellationToken.None);
        var path = Path.Combine(_registry.RootPath, "tasks", "spec", "task-1.events.jsonl");
        await File.AppendAllTextAsync(path, "{\"task\":{\"spec");

        var ex = Assert.ThrowsAsync<RegistryException>(() => _registry.GetEventsAsync(Task1, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(path).And.Contain("line 2"));
    }

    [Test]
    public async Task AppendEventAsync_TornLastLine_RefusesAndLeavesFile()
    {
        await _registry.AppendEventAsync(Event("w", 0) with { Task = Task1 }, CancellationToken.None);
        var path = Path.Combine(_registry.RootPath, "tasks", "spec", "task-1.events.jsonl");
        await File.AppendAllTextAsync(path, "{\"torn");
        var before = await File.ReadAllTextAsync(path);

        var ex = Assert.ThrowsAsync<RegistryException>(() => _registry.AppendEventAsync(Event("w", 1) with { Task = Task1 }, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(path));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(before));
    }

    [TestCase("..", "task")]
    [TestCase("spec", "..")]
    [TestCase("../../etc", "task")]
    [TestCase("spec", "a/b")]
    [TestCase("spec", "a\\b")]
    [TestCase("spec", "a\0b")]
    [TestCase("spec", "a\nb")]
    [TestCase("", "task")]
    [TestCase("spec", ".hidden")]
    public void SetTaskStateAsync_UnsafePathComponent_ThrowsArgumentException(string spec, string taskId)
    {
        Assert.That(
            () => _registry.SetTaskStateAsync(new TaskKey(spec, taskId), TaskState.Running, "runner-1", CancellationToken.None),
            Throws.ArgumentException);
        Assert.That(Directory.Exists(_registry.RootPath) ? Directory.GetFileSystemEntries(_registry.RootPath, "*", SearchOption.AllDirectories) : [], Is.Empty);
    }

    [TestCase("../runner")]
    [TestCase("a/b")]
    [TestCase("a\0b")]
    [TestCase("..")]
    public void RegisterRunnerAsync_UnsafeRunnerId_ThrowsArgumentException(string runnerId)
    {
        var registration = new RunnerRegistration(runnerId, Task1, "host", 1, DateTimeOffset.UnixEpoch);

        Assert.That(() => _registry.RegisterRunnerAsync(registration, CancellationToken.None), Throws.ArgumentException.With.Message.Contain("runner id"));
    }

    [Test]
    public async Task RegisterRunnerAsync_ThenUnregister_RoundTrips()
    {
        var first = new RunnerRegistration("runner-1", Task1, "host", 11, DateTimeOffset.UnixEpoch);
        var second = new RunnerRegistration("runner-2", Task1, "host", 12, DateTimeOffset.UnixEpoch);
        await _registry.RegisterRunnerAsync(first, CancellationToken.None);
        await _registry.RegisterRunnerAsync(second, CancellationToken.None);

        var registered = await _registry.GetRunnersAsync(CancellationToken.None);
        await _registry.UnregisterRunnerAsync("runner-1", CancellationToken.None);
        await _registry.UnregisterRunnerAsync("runner-1", CancellationToken.None);
        var remaining = await _registry.GetRunnersAsync(CancellationToken.None);

        Assert.That(registered, Is.EqualTo(new[] { first, second }));
        Assert.That(remaining, Is.EqualTo(new[] { second }));
    }

    private static TaskEvent Event(string writer, int sequence) =>
        new(new TaskKey("spec", "shared"), "Progress", DateTimeOffset.UtcNow, writer, $"{writer} {sequence}",
            new Dictionary<string, string> { ["seq"] = sequence.ToString(CultureInfo.InvariantCulture) });

    private static void AssertEveryWriterComplete(IReadOnlyList<TaskEvent> events, int writers, int perWriter)
    {
        Assert.That(events, Has.Count.EqualTo(writers * perWriter));
        foreach (var group in events.GroupBy(e => e.RunnerId))
        {
            Assert.That(group.Select(e => int.Parse(e.Data!["seq"], CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(0, perWriter)), group.Key);
        }

        Assert.That(events.Select(e => e.RunnerId).Distinct().Count(), Is.EqualTo(writers));
    }

    private FileSystemTaskRegistry Create(TimeSpan lockTimeout) =>
        new(Options.Create(new FileSystemOptions { RootPath = _dir.Path, LockTimeout = lockTimeout }), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
}
