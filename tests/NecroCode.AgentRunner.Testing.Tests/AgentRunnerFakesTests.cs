using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class AgentRunnerFakesTests
{
    [Test]
    public async Task Agent_Default_WritesAFileAndSucceeds()
    {
        using var workspace = new TempFolder("necrocode-fakes-");
        var fakes = new AgentRunnerFakes();

        var result = await fakes.Agent.ImplementAsync(new AgentRequest
        {
            Task = new TaskContext { TaskId = "1", SpecName = "spec", Title = "t" },
            WorkspacePath = workspace.Path,
            Prompt = "p",
            Events = new RecordingEventSink(),
        }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(Directory.EnumerateFiles(workspace.Path), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Tests_Default_Pass()
    {
        var result = await new AgentRunnerFakes().Tests.RunAsync(new TestRequest("/w", ["t"], false, new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Passed));
    }

    [Test]
    public void Init_OwnFake_KeptInPlaceOfTheDefault()
    {
        var tests = new FakeTestRunner(TestOutcome.Failed);

        var fakes = new AgentRunnerFakes { Tests = tests };

        Assert.That(fakes.Tests, Is.SameAs(tests));
    }
}
