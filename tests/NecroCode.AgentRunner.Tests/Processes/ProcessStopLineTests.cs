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
}
