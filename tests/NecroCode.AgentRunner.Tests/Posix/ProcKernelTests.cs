using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Tests.Posix;

[TestFixture]
public sealed class ProcKernelTests
{
    [Test]
    public void ReadForkCountAndLastProcessId_AfterStartingAProcess_CountGrowsAndLastIdCoversIt()
    {
        // Arrange
        var forksBefore = ProcKernel.ReadForkCount() ?? throw new AssertionException("/proc/stat has no processes line");

        // Act
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        var pid = process.Id;
        var last = ProcKernel.ReadLastProcessId();
        var forksAfter = ProcKernel.ReadForkCount();
        process.WaitForExit();

        // Assert: the last id is the new one or later, unless the ids wrapped around in between.
        Assert.Multiple(() =>
        {
            Assert.That(forksAfter, Is.GreaterThan(forksBefore));
            Assert.That(last, Is.GreaterThanOrEqualTo(pid).Or.LessThan(pid - (ProcKernel.ProcessIdLimit / 2)));
            Assert.That(ProcKernel.ProcessIdLimit, Is.GreaterThan(pid));
        });
    }
}
