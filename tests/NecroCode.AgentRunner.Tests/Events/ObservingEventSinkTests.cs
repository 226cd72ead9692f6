using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Events;

[TestFixture]
public sealed class ObservingEventSinkTests
{
    [Test]
    public async Task PublishOutputAsync_InnerSinkWithoutBlocks_GetsEachLineInOrder()
    {
        // Arrange: an observing sink over a plain sink.
        var inner = new RecordingEventSink();
        var sink = new AttemptOutputSink(inner);

        // Act
        await sink.PublishOutputAsync(TestBlocks.Of("implement", OutputSource.StandardError, "one", "", "three"), NullSecretMasker.Instance);

        // Assert: the inner sink and the observer saw three lines.
        Assert.Multiple(() =>
        {
            Assert.That(inner.LinesOf(OutputSource.StandardError), Is.EqualTo(new[] { "one", "", "three" }));
            Assert.That(sink.Text, Is.EqualTo("[stderr] one\n[stderr] \n[stderr] three\n"));
        });
    }
}
