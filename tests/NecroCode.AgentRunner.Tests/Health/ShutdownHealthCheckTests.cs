using Microsoft.Extensions.Diagnostics.HealthChecks;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.Tests.Health;

[TestFixture]
public sealed class ShutdownHealthCheckTests
{
    [Test]
    public async Task CheckHealthAsync_Running_IsHealthy()
    {
        using var sandbox = new HealthSandbox().Ready();

        var report = await sandbox.CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries[AgentRunnerHealthChecks.Shutdown].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
        });
    }

    [Test]
    public async Task CheckHealthAsync_MarkedShuttingDown_IsUnhealthyWithTheFirstReason()
    {
        using var sandbox = new HealthSandbox().Ready();
        sandbox.Readiness.MarkShuttingDown("SIGTERM received");
        sandbox.Readiness.MarkShuttingDown("later");

        var report = await sandbox.CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Entries[AgentRunnerHealthChecks.Shutdown].Description, Is.EqualTo("SIGTERM received"));
        });
    }
}
