using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.Events;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

[TestFixture]
public sealed class RefusalCountingSinkTests
{
    [Test]
    public async Task ObserveOutput_Block_CountsTheLinesThatReportARefusal()
    {
        // Arrange
        var inner = new RecordingEventSink();
        var sink = new RefusalCountingSink(inner);

        // Act: two blocks, one without any refusal.
        await sink.PublishOutputAsync(TestBlocks.Of("test", OutputSource.StandardOutput, "compiling", "all good"), NullSecretMasker.Instance);
        await sink.PublishOutputAsync(TestBlocks.Of("test", OutputSource.StandardError, "ok", "cp: cannot create 'x': Permission denied", "touch: y: READ-ONLY FILE SYSTEM", "done"), NullSecretMasker.Instance);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sink.Count, Is.EqualTo(2));
            Assert.That(sink.First, Is.EqualTo("cp: cannot create 'x': Permission denied"));
            Assert.That(inner.Events.OfType<OutputLine>().Count(), Is.EqualTo(6));
        });
    }
}
