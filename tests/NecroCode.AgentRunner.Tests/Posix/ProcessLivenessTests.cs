using NecroCode.AgentRunner.Posix;
using NecroCode.AgentRunner.Tests.FileSystem;

namespace NecroCode.AgentRunner.Tests.Posix;

[TestFixture]
public sealed class ProcessLivenessTests
{
    [Test]
    public void StartTimeOf_OwnProcess_RunningWithAStart()
    {
        var start = ProcessLiveness.StartTimeOf(Environment.ProcessId, out var running);

        Assert.Multiple(() =>
        {
            Assert.That(running, Is.True);
            Assert.That(start, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public void IsRunning_OwnProcessWithItsStart_True()
    {
        var start = ProcessLiveness.StartTimeOf(Environment.ProcessId, out _);

        Assert.That(ProcessLiveness.IsRunning(Environment.ProcessId, start), Is.True);
    }

    [Test]
    public void IsRunning_SameIdAnotherStart_FalseBecauseTheIdWasReused()
    {
        Assert.That(ProcessLiveness.IsRunning(Environment.ProcessId, "1"), Is.False);
    }

    [Test]
    public void IsRunning_StartUnknown_TheIdAloneDecides()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProcessLiveness.IsRunning(Environment.ProcessId, null), Is.True);
            Assert.That(ProcessLiveness.IsRunning(int.MaxValue, null), Is.False);
        });
    }

    [Test]
    [Category("Integration")]
    public void IsRunning_ProcessEnded_False()
    {
        string? start;
        int pid;
        using (var child = ChildProcess.Sleep())
        {
            pid = child.Id;
            start = ProcessLiveness.StartTimeOf(pid, out _);
            child.Kill();
        }

        Assert.That(ProcessLiveness.IsRunning(pid, start), Is.False);
    }

    [Test]
    public void MayBeRunning_RecordedAfterTheProcessStarted_True()
    {
        Assert.That(ProcessLiveness.MayBeRunning(Environment.ProcessId, DateTimeOffset.UtcNow), Is.True);
    }

    [Test]
    public void MayBeRunning_RecordedLongBeforeTheProcessUnderTheIdStarted_FalseBecauseTheIdWasReused()
    {
        Assert.That(ProcessLiveness.MayBeRunning(Environment.ProcessId, DateTimeOffset.UnixEpoch), Is.False);
    }

    [Test]
    public void MayBeRunning_NoSuchProcess_False()
    {
        Assert.That(ProcessLiveness.MayBeRunning(int.MaxValue, DateTimeOffset.UtcNow), Is.False);
    }

    [TestCase(0, ExpectedResult = true)]
    [TestCase(59, ExpectedResult = true)]
    [TestCase(61, ExpectedResult = false)]
    public bool CanHaveRecorded_StartedSecondsAfterTheRecord(int seconds)
    {
        var recordedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        return ProcessLiveness.CanHaveRecorded(recordedAt.AddSeconds(seconds), recordedAt);
    }
}
