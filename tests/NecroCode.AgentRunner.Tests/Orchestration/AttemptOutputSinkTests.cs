using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Orchestration;

[TestFixture]
public sealed class AttemptOutputSinkTests
{
    [Test]
    public void Publish_OutputLines_KeptInOrderAndForwarded()
    {
        var inner = new RecordingEventSink();
        var sink = new AttemptOutputSink(inner);

        sink.Publish(new OutputLine("implement", OutputSource.StandardOutput, "one"));
        sink.Publish(new RunWarning("implement", "not output"));
        sink.Publish(new OutputLine("implement", OutputSource.StandardError, "two"));

        Assert.Multiple(() =>
        {
            Assert.That(sink.Text, Is.EqualTo("one\n[stderr] two\n"));
            Assert.That(inner.Events, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void Publish_OverTheLimit_LaterLinesCountedWithANote()
    {
        var sink = new AttemptOutputSink(new RecordingEventSink());
        var big = new string('x', AttemptOutputSink.Limit - 10);

        sink.Publish(new OutputLine("fix-2", OutputSource.StandardOutput, big));
        sink.Publish(new OutputLine("fix-2", OutputSource.StandardOutput, "this line does not fit"));

        Assert.Multiple(() =>
        {
            Assert.That(sink.Text, Does.StartWith(big + "\n"));
            Assert.That(sink.Text, Does.Not.Contain("does not fit"));
            Assert.That(sink.Text, Does.Contain("(1 more line(s) left out"));
        });
    }
}
