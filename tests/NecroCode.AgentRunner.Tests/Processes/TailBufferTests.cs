using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
public sealed class TailBufferTests
{
    [Test]
    public void Append_WithinCapacity_KeepsEverything()
    {
        var buffer = new TailBuffer(10);

        buffer.Append("abc");
        buffer.Append("def");

        Assert.Multiple(() =>
        {
            Assert.That(buffer.ToString(), Is.EqualTo("abcdef"));
            Assert.That(buffer.Truncated, Is.False);
        });
    }

    [Test]
    public void Append_PastCapacity_KeepsTheTail()
    {
        var buffer = new TailBuffer(5);

        foreach (var part in new[] { "abc", "def", "gh", "ijklm", "n" })
        {
            buffer.Append(part);
        }

        Assert.Multiple(() =>
        {
            Assert.That(buffer.ToString(), Is.EqualTo("jklmn"));
            Assert.That(buffer.Truncated, Is.True);
        });
    }

    [Test]
    public void Append_LargeCapacity_GrowsAndWraps()
    {
        var buffer = new TailBuffer(10_000);
        var all = string.Concat(Enumerable.Range(0, 3000).Select(i => i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)));

        for (var i = 0; i < all.Length; i += 7)
        {
            buffer.Append(all.AsSpan(i, Math.Min(7, all.Length - i)));
        }

        Assert.That(buffer.ToString(), Is.EqualTo(all[^10_000..]));
    }
}
