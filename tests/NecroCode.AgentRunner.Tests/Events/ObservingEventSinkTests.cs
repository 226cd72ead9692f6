using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Sandboxing;
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
        await sink.PublishOutputAsync(Block("implement", OutputSource.StandardError, "one", "", "three"), NullSecretMasker.Instance);

        // Assert: the inner sink and the observer saw three lines.
        Assert.Multiple(() =>
        {
            Assert.That(inner.LinesOf(OutputSource.StandardError), Is.EqualTo(new[] { "one", "", "three" }));
            Assert.That(sink.Text, Is.EqualTo("[stderr] one\n[stderr] \n[stderr] three\n"));
        });
    }

    [Test]
    public async Task RefusalCountingSink_Block_CountsTheLinesThatReportARefusal()
    {
        // Arrange
        var inner = new RecordingEventSink();
        var sink = new RefusalCountingSink(inner);

        // Act: two blocks, one without any refusal.
        await sink.PublishOutputAsync(Block("test", OutputSource.StandardOutput, "compiling", "all good"), NullSecretMasker.Instance);
        await sink.PublishOutputAsync(Block("test", OutputSource.StandardError, "ok", "cp: cannot create 'x': Permission denied", "touch: y: READ-ONLY FILE SYSTEM", "done"), NullSecretMasker.Instance);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sink.Count, Is.EqualTo(2));
            Assert.That(sink.First, Is.EqualTo("cp: cannot create 'x': Permission denied"));
            Assert.That(inner.Events.OfType<OutputLine>().Count(), Is.EqualTo(6));
        });
    }

    [Test]
    public void OutputBlock_Lines_SplitAtLineFeedsOnly()
    {
        // Arrange
        var block = Block("test", OutputSource.StandardOutput, "a\rb", "", "c");

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(block.Count, Is.EqualTo(3));
            Assert.That(block.Text, Is.EqualTo("a\rb\n\nc\n"));
            Assert.That(Enumerable.Range(0, block.Count).Select(i => block.Line(i).ToString()), Is.EqualTo(new[] { "a\rb", "", "c" }));
            Assert.That(block.ToLine(2), Is.EqualTo(new OutputLine("test", OutputSource.StandardOutput, "c")));
        });
    }

    private static OutputBlock Block(string step, OutputSource source, params string[] lines)
    {
        var builder = new OutputBlockBuilder(4);
        foreach (var line in lines)
        {
            builder.Add(line);
        }

        return builder.Build(step, source);
    }
}
