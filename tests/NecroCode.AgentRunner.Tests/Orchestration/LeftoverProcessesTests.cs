using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.Orchestration;

[TestFixture]
public sealed class LeftoverProcessesTests
{
    [Test]
    public async Task StopStaleHolderAsync_LeaseWithoutStaleTrackingId_StopsNothing()
    {
        var lease = new SlotLease("slot-1", "/nowhere", "lease-1");

        var stopped = await new LeftoverProcesses(TimeProvider.System, NullLogger<LeftoverProcesses>.Instance).StopStaleHolderAsync(lease, CancellationToken.None);

        Assert.That(stopped, Is.Empty);
    }

    [Test]
    [Category("Integration")]
    public async Task StopStaleHolderAsync_LeaseReportsStaleTrackingId_StopsTheProcessesCarryingIt()
    {
        var trackingId = Guid.NewGuid().ToString("N");
        using var leftover = LeftoverProcess.Start(trackingId);
        var lease = new SlotLease("slot-1", "/nowhere", "lease-1") { StaleProcessTrackingId = trackingId };

        var stopped = await new LeftoverProcesses(TimeProvider.System, NullLogger<LeftoverProcesses>.Instance).StopStaleHolderAsync(lease, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(leftover.Stopped(), Is.True, "the stale holder's process still runs");
            Assert.That(stopped, Does.Contain(leftover.Process.Id));
        });
    }
}
