using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.Tests.Health;

[TestFixture]
public sealed class SlotPoolHealthCheckTests
{
    [Test]
    public async Task CheckHealthAsync_OneSlot_IsHealthy()
    {
        using var sandbox = new HealthSandbox().Ready();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.SlotPool];

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_NoSlots_IsUnhealthy()
    {
        using var sandbox = new HealthSandbox();
        Directory.CreateDirectory(sandbox.ArtifactsPath);

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.SlotPool];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain("no slots"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_NoSlotsButAPoolSize_IsHealthyBecauseThePoolAddsItsOwn()
    {
        using var sandbox = new HealthSandbox(services => services.Configure<FileSystemOptions>(o => o.PoolSize = 2));

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.SlotPool];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(entry.Description, Does.Contain("adds up to 2 by itself"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_SlotsNotRequired_IsHealthyWithoutSlots()
    {
        using var sandbox = new HealthSandbox(options: o => o.RequireSlot = false);

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.SlotPool];

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
    }
}
