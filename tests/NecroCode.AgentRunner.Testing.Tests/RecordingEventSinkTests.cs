using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class RecordingEventSinkTests
{
    [Test]
    public void Publish_Events_KeptInOrderWithTheirViews()
    {
        var sink = new RecordingEventSink();
        var started = new StepStarted("implement");
        var output = new OutputLine("implement", OutputSource.StandardOutput, "hello");
        var error = new OutputLine("implement", OutputSource.StandardError, "oops");
        var warning = new RunWarning("implement", "careful");

        sink.Publish(started);
        sink.Publish(output);
        sink.Publish(error);
        sink.Publish(warning);

        Assert.Multiple(() =>
        {
            Assert.That(sink.Events, Is.EqualTo(new RunEvent[] { started, output, error, warning }));
            Assert.That(sink.Lines, Is.EqualTo(new[] { "hello", "oops" }));
            Assert.That(sink.LinesOf(OutputSource.StandardError), Is.EqualTo(new[] { "oops" }));
            Assert.That(sink.Warnings, Is.EqualTo(new[] { "careful" }));
        });
    }

    [Test]
    public void JsonLines_Events_OneRunLogLineEach()
    {
        var sink = new RecordingEventSink();
        var warning = new RunWarning("push", "the remote said no");

        sink.Publish(warning);

        Assert.That(sink.JsonLines, Is.EqualTo(new[] { AgentRunnerJson.SerializeLine(warning) }));
    }

    [Test]
    public void Publish_WithOnEvent_CalledAfterTheEventIsRecorded()
    {
        var seen = new List<int>();
        RecordingEventSink sink = null!;
        sink = new RecordingEventSink(_ => seen.Add(sink.Events.Count));

        sink.Publish(new StepStarted("a"));
        sink.Publish(new StepStarted("b"));

        Assert.That(seen, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Publish_FromManyThreads_KeepsEveryEvent()
    {
        var sink = new RecordingEventSink();

        Parallel.For(0, 1000, i => sink.Publish(new OutputLine("test", OutputSource.StandardOutput, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.That(sink.Lines, Has.Count.EqualTo(1000).And.Unique);
    }
}
