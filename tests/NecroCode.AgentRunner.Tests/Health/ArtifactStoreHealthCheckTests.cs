using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NecroCode.AgentRunner.Health;
using NSubstitute;

namespace NecroCode.AgentRunner.Tests.Health;

[TestFixture]
public sealed class ArtifactStoreHealthCheckTests
{
    [Test]
    public async Task CheckHealthAsync_WritableFolder_IsHealthyAndLeavesNoFile()
    {
        using var sandbox = new HealthSandbox().Ready();

        var report = await sandbox.CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries[AgentRunnerHealthChecks.ArtifactStore].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(Directory.EnumerateFileSystemEntries(sandbox.ArtifactsPath), Is.Empty);
        });
    }

    [Test]
    public async Task CheckHealthAsync_FreshRoot_IsHealthyAndCreatesNothing()
    {
        using var sandbox = new HealthSandbox();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.ArtifactStore];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(entry.Description, Does.Contain(sandbox.ArtifactsPath).And.Contain("does not exist yet"));
            Assert.That(Directory.Exists(sandbox.ArtifactsPath), Is.False);
            Assert.That(Directory.EnumerateFileSystemEntries(sandbox.Root), Is.Empty);
        });
    }

    [Test]
    public async Task CheckHealthAsync_FolderMissingUnderUnwritableParent_IsUnhealthyNamingBoth()
    {
        using var sandbox = new HealthSandbox();
        sandbox.MakeUnwritable(sandbox.Root);

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.ArtifactStore];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain(sandbox.ArtifactsPath).And.Contain(sandbox.Root).And.Contain("not writable"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_FolderUnwritable_IsUnhealthy()
    {
        using var sandbox = new HealthSandbox().Ready();
        sandbox.MakeUnwritable(sandbox.ArtifactsPath);

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.ArtifactStore];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain("not writable"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_StoreWithProbe_ReportsTheProbe()
    {
        var store = Substitute.For<IArtifactStore, IHealthProbe>();
        ((IHealthProbe)store).ProbeAsync(Arg.Any<CancellationToken>()).Returns(HealthCheckResult.Unhealthy("bucket gone"));
        using var sandbox = new HealthSandbox(s => s.Replace(ServiceDescriptor.Singleton(store))).Ready();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.ArtifactStore];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Is.EqualTo("bucket gone"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_StoreWithoutProbe_IsHealthyWithNote()
    {
        var store = Substitute.For<IArtifactStore>();
        using var sandbox = new HealthSandbox(s => s.Replace(ServiceDescriptor.Singleton(store))).Ready();

        var entry = (await sandbox.CheckAsync()).Entries[AgentRunnerHealthChecks.ArtifactStore];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(entry.Description, Does.Contain("cannot be probed"));
        });
    }
}
