using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
public sealed class ProcessStopLineTests
{
    [Test]
    public void Append_EmptyTail_IsTheLineAlone()
    {
        var text = ProcessStopLine.Append("", ProcessStopReason.TimedOut, "timed out after 5 s; the process tree was stopped.");

        Assert.That(text, Is.EqualTo("necrocode-runner: timed-out: timed out after 5 s; the process tree was stopped."));
    }

    [Test]
    public void Append_WithTail_IsTheLastLine()
    {
        var text = ProcessStopLine.Append("boom\nmore", ProcessStopReason.MemoryLimitExceeded, "memory limit exceeded.");

        Assert.That(text, Is.EqualTo("boom\nmore\nnecrocode-runner: memory-limit-exceeded: memory limit exceeded."));
    }

    [TestCase("TimedOut")]
    [TestCase("MemoryLimitExceeded")]
    [TestCase("CpuTimeLimitExceeded")]
    public void TryParse_AppendedLine_ReadsReasonAndMessageBack(string reasonName)
    {
        var reason = Enum.Parse<ProcessStopReason>(reasonName);
        var text = ProcessStopLine.Append("output: with colons", reason, "why: it was stopped.");

        var parsed = ProcessStopLine.TryParse(text, out var back, out var message);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(back, Is.EqualTo(reason));
            Assert.That(message, Is.EqualTo("why: it was stopped."));
        });
    }

    [TestCase("")]
    [TestCase("plain error")]
    [TestCase("necrocode-runner: timed-out: earlier\nlater line")]
    [TestCase("necrocode-runner: unknown-reason: text")]
    [TestCase("necrocode-runner: cancelled: text")]
    public void TryParse_NoStopLineLast_ReturnsFalse(string text)
    {
        Assert.That(ProcessStopLine.TryParse(text, out _, out _), Is.False);
    }
}
