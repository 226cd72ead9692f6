using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NecroCode.AgentRunner.Health;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Health;

[TestFixture]
public sealed class RegistryHealthCheckTests
{
    [Test]
    public async Task CheckHealthAsync_FileSystemRegistry_IsHealthy()
    {
        using var sandbox = new HealthSandbox().Ready();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.Registry];

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_RegistryNeverAnswers_IsUnhealthyAfterTimeout()
    {
        var registry = Substitute.For<ITaskRegistry>();
        registry.GetRunnersAsync(Arg.Any<CancellationToken>()).Returns(new TaskCompletionSource<IReadOnlyList<RunnerRegistration>>().Task);
        using var sandbox = new HealthSandbox(s => s.Replace(ServiceDescriptor.Singleton(registry)), o => o.ProbeTimeout = TimeSpan.FromMilliseconds(200)).Ready();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.Registry];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain("did not answer"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_RegistryThrows_IsUnhealthyWithItsMessage()
    {
        var registry = Substitute.For<ITaskRegistry>();
        registry.GetRunnersAsync(Arg.Any<CancellationToken>()).Returns<Task<IReadOnlyList<RunnerRegistration>>>(_ => throw new IOException("connection refused"));
        using var sandbox = new HealthSandbox(s => s.Replace(ServiceDescriptor.Singleton(registry))).Ready();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.Registry];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain("connection refused"));
        });
    }
}
