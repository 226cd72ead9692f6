using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Tests.Events;

[TestFixture]
public sealed class OutputBlockTests
{
    [Test]
    public void Line_SplitsAtLineFeedsOnly()
    {
        // Arrange
        var block = TestBlocks.Of("test", OutputSource.StandardOutput, "a\rb", "", "c");

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(block.Count, Is.EqualTo(3));
            Assert.That(block.Text, Is.EqualTo("a\rb\n\nc\n"));
            Assert.That(Enumerable.Range(0, block.Count).Select(i => block.Line(i).ToString()), Is.EqualTo(new[] { "a\rb", "", "c" }));
            Assert.That(block.ToLine(2), Is.EqualTo(new OutputLine("test", OutputSource.StandardOutput, "c")));
        });
    }
}
