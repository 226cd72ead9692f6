using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Health;

namespace NecroCode.AgentRunner.Tests.Health;

[TestFixture]
public sealed class AgentRunnerHealthChecksBuilderExtensionsTests
{
    [Test]
    public void AddAgentRunnerHealthChecks_RegistersFourReadinessChecks()
    {
        using var sandbox = new HealthSandbox();

        var registrations = sandbox.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Multiple(() =>
        {
            Assert.That(registrations.Select(r => r.Name), Is.EquivalentTo(new[]
            {
                AgentRunnerHealthChecks.Registry, AgentRunnerHealthChecks.ArtifactStore, AgentRunnerHealthChecks.SlotPool, AgentRunnerHealthChecks.Shutdown,
            }));
            Assert.That(registrations.All(r => r.Tags.Contains(AgentRunnerHealthChecks.ReadyTag)), Is.True);
        });
    }

    [Test]
    public void AddAgentRunnerHealthChecks_InvalidTimeout_FailsValidation()
    {
        using var sandbox = new HealthSandbox(options: o => o.ProbeTimeout = TimeSpan.Zero);

        Assert.That(
            () => sandbox.Services.GetRequiredService<IOptions<AgentRunnerHealthCheckOptions>>().Value,
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains(nameof(AgentRunnerHealthCheckOptions.ProbeTimeout)));
    }
}
