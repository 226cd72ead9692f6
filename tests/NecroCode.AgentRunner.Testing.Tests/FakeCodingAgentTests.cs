using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeCodingAgentTests
{
    private TempFolder _workspace = null!;

    [SetUp]
    public void SetUp() => _workspace = new TempFolder("necrocode-fake-agent-");

    [TearDown]
    public void TearDown() => _workspace.Dispose();

    [Test]
    public async Task Writing_Attempt_WritesTheFileReportsTheLineAndSucceeds()
    {
        var agent = FakeCodingAgent.Writing("src/feature.txt", "implemented\n");
        var events = new RecordingEventSink();

        var result = await agent.ImplementAsync(Request(events), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new AgentResult(true, 0)));
            Assert.That(File.ReadAllText(_workspace.Combine("src", "feature.txt")), Is.EqualTo("implemented\n"));
            Assert.That(events.Lines, Is.EqualTo(new[] { "wrote src/feature.txt" }));
        });
    }

    [Test]
    public async Task Exiting_NonZero_FailsNamingTheExitCodeAndChangesNothing()
    {
        var agent = FakeCodingAgent.Exiting(3);

        var result = await agent.ImplementAsync(Request(new RecordingEventSink()), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Error, Does.Contain("3"));
            Assert.That(Directory.EnumerateFileSystemEntries(_workspace.Path), Is.Empty);
        });
    }

    [Test]
    public async Task Exiting_Zero_Succeeds()
    {
        var result = await FakeCodingAgent.Exiting(0).ImplementAsync(Request(new RecordingEventSink()), CancellationToken.None);

        Assert.That(result, Is.EqualTo(new AgentResult(true, 0)));
    }

    [Test]
    public async Task ImplementAsync_SeveralAttempts_RecordsEveryRequestInOrderAndRunsTheBehaviour()
    {
        var calls = 0;
        var agent = new FakeCodingAgent((_, _) => Task.FromResult(new AgentResult(++calls == 2, 0)));

        var first = await agent.ImplementAsync(Request(new RecordingEventSink()) with { Attempt = 1 }, CancellationToken.None);
        var second = await agent.ImplementAsync(Request(new RecordingEventSink()) with { Attempt = 2 }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((first.Succeeded, second.Succeeded), Is.EqualTo((false, true)));
            Assert.That(agent.Requests.Select(r => r.Attempt), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(agent.Name, Is.EqualTo("fake"));
        });
    }

    private AgentRequest Request(IRunEventSink events) => new()
    {
        Task = new TaskContext { TaskId = "1", SpecName = "spec", Title = "t" },
        WorkspacePath = _workspace.Path,
        Prompt = "do it",
        Events = events,
    };
}
