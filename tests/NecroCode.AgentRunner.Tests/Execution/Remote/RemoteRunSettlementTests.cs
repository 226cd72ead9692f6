using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

[TestFixture]
public sealed partial class RemoteRunSettlementTests
{
    private RemoteRun _run = null!;

    [SetUp]
    public void SetUp() => _run = new RemoteRun();

    [TearDown]
    public void TearDown() => _run.Dispose();

    [Test]
    public async Task SettleAsync_ConfirmedSuccess_HostWritesItsOwnCompletionEventAndDone()
    {
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        var events = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        var record = await _run.Registry.GetTaskAsync(_run.Key, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { TaskEventTypes.TaskStarted, TaskEventTypes.TaskCompleted }));
            Assert.That(events[^1].Message, Is.EqualTo($"Pushed {RemoteRun.Branch} at {RemoteRun.Commit}."));
            Assert.That(events[^1].Data, Does.ContainKey("branch").And.ContainKey("commit").And.ContainKey("outcome"));
            Assert.That(events[^1].RunnerId, Is.EqualTo("runner-inner"));
        }
    }

    [Test]
    public async Task SettleAsync_AnyEnd_PublishesTheHostsOneRunFinished()
    {
        await _run.DoneInsideAsync();
        _run.Output.Write(System.Text.Encoding.UTF8.GetBytes(AgentRunnerJson.SerializeLine(new RunFinished(RunOutcome.Succeeded, TimeSpan.FromSeconds(1))) + "\n"), OutputSource.StandardOutput);
        _run.Prints(_run.Success());

        var result = await _run.SettleAsync();

        Assert.That(_run.Sink.Events.OfType<RunFinished>().Single().Outcome, Is.EqualTo(result.Outcome));
    }

    [Test]
    public async Task SettleAsync_PlainArtifact_IsStoredOnTheHostWithTheHostsUri()
    {
        await _run.DoneInsideAsync();
        var inside = _run.WriteInside("state/artifacts/diff.patch", "the diff");
        _run.Prints(_run.Success(new ArtifactRecord(ArtifactKind.Diff, "diff.patch", new Uri("file://" + inside), 8, new string('0', 64))));

        var result = await _run.SettleAsync();

        var artifact = result.Artifacts.Single();
        Assert.That(artifact.Uri!.Scheme, Is.EqualTo("memory"));
        Assert.That(_run.Store.Content[artifact.Uri], Is.EqualTo("the diff"u8.ToArray()));
        Assert.That((await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None))[^1].Data!["artifact:diff.patch"], Is.EqualTo(artifact.Uri.ToString()));
    }

    [Test]
    public async Task SettleAsync_ArtifactIsASymbolicLink_IsRefusedAndNotCopied()
    {
        var hostFile = _run.Folder("host-only.txt");
        File.WriteAllText(hostFile, "host only");
        File.CreateSymbolicLink(Path.Combine(_run.Job.HostPath, "leak.txt"), hostFile);
        _run.Prints(_run.Success(new ArtifactRecord(ArtifactKind.RunLog, "leak.txt", new Uri("file:///necrocode/job/leak.txt"), 9, new string('0', 64))));

        var result = await _run.SettleAsync();

        Assert.That(result.Artifacts.Single().Error, Does.Contain("symbolic link"));
        Assert.That(result.Artifacts.Single().Stored, Is.False);
        Assert.That(_run.Store.Content, Is.Empty);
    }

    [Test]
    public async Task SettleAsync_ArtifactPathEscapesTheJobFolder_IsRefused()
    {
        File.WriteAllText(_run.Folder("host-only.txt"), "host only");
        _run.Prints(_run.Success(new ArtifactRecord(ArtifactKind.RunLog, "dots.txt", null, 9, new string('0', 64), LocalPath: "/necrocode/job/../../../host-only.txt")));

        var result = await _run.SettleAsync();

        Assert.That(result.Artifacts.Single().Error, Does.Contain("not a plain path inside the job folder"));
        Assert.That(_run.Store.Content, Is.Empty);
    }

    [Test]
    public async Task SettleAsync_ArtifactOutsideTheMount_IsRefused()
    {
        _run.Prints(_run.Success(new ArtifactRecord(ArtifactKind.RunLog, "passwd", new Uri("file:///etc/passwd"), 9, new string('0', 64))));

        var result = await _run.SettleAsync();

        Assert.That(result.Artifacts.Single().Error, Does.Contain("not inside the job folder"));
    }

    [Test]
    public async Task SettleAsync_RegistryEventsOfAnotherTask_AreNotImported()
    {
        await _run.DoneInsideAsync();
        var scratch = new FileSystemTaskRegistry(Options.Create(new FileSystemOptions { RootPath = _run.Folder("scratch") }), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        await scratch.AppendEventAsync(new TaskEvent(new TaskKey("other", "9"), TaskEventTypes.ArtifactStored, DateTimeOffset.UtcNow, "runner-inner", "planted"), CancellationToken.None);
        var line = await File.ReadAllTextAsync(_run.Folder("scratch", "registry", "tasks", "other", "9.events.jsonl"));
        await File.AppendAllTextAsync(Path.Combine(_run.Job.HostPath, "state", "registry", "tasks", "calc", "1.events.jsonl"), line);
        _run.Prints(_run.Success());

        await _run.SettleAsync();

        var imported = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        var planted = await _run.Registry.GetEventsAsync(new TaskKey("other", "9"), CancellationToken.None);
        Assert.That(imported.Select(e => e.Message), Has.None.EqualTo("planted"));
        Assert.That(planted, Is.Empty);
    }

    [Test]
    public async Task SettleAsync_TerminalEventsTheRunnerWrote_AreReplacedByTheHosts()
    {
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        await _run.SettleAsync();

        var events = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        Assert.That(events.Where(e => e.Type == TaskEventTypes.TaskCompleted).Select(e => e.Message), Is.EqualTo(new[] { $"Pushed {RemoteRun.Branch} at {RemoteRun.Commit}." }));
    }

    [Test]
    public async Task SettleAsync_ImportedEventMessage_IsMaskedByTheHost()
    {
        _run.Masker.AddSecret("s3cr3t");
        await _run.Inner.AppendEventAsync(new TaskEvent(_run.Key, TaskEventTypes.ArtifactStored, DateTimeOffset.UtcNow, "runner-inner", "stored with s3cr3t"), CancellationToken.None);
        await _run.DoneInsideAsync();
        _run.Prints(_run.Success());

        await _run.SettleAsync();

        var events = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        Assert.That(events.Select(e => e.Message), Does.Contain("stored with ***").And.None.Contains("s3cr3t"));
    }

    [Test]
    public async Task SettleAsync_ObserverThrows_TheSinkAndOtherObserversStillGetEveryEvent()
    {
        var seen = new EventRecorder();
        using var run = new RemoteRun(observers: [new ThrowingObserver(), seen]);
        await run.DoneInsideAsync();
        run.Output.Write(System.Text.Encoding.UTF8.GetBytes(AgentRunnerJson.SerializeLine(new StepStarted("agent")) + "\n"), OutputSource.StandardOutput);
        run.Prints(run.Success());

        await run.SettleAsync();

        Assert.That(seen.Events.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(StepStarted), typeof(RunFinished) }));
        Assert.That(run.Sink.Events.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(StepStarted), typeof(RunFinished) }));
    }

    [Test]
    public async Task MarkFailedAsync_AnyTask_WritesTaskFailedAndTheFailedState()
    {
        await _run.Settlement.MarkRunningAsync(_run.Key, CancellationToken.None);

        await _run.Settlement.MarkFailedAsync(_run.Key, "the engine went away");

        var record = await _run.Registry.GetTaskAsync(_run.Key, CancellationToken.None);
        var events = await _run.Registry.GetEventsAsync(_run.Key, CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
        Assert.That(events.Single().Message, Is.EqualTo("the engine went away"));
        Assert.That(events.Single().RunnerId, Is.EqualTo(RemoteRun.HostRunnerId));
    }

    private sealed class ThrowingObserver : IRunEventObserver
    {
        public void OnEvent(RunEvent runEvent) => throw new InvalidOperationException("observer broke");
    }
}
