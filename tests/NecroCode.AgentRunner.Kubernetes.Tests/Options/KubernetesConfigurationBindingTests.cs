using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Options;

public sealed class KubernetesConfigurationBindingTests
{
    [Test]
    public void UseKubernetes_OnARunnerComposedFromConfiguration_BindsItsSectionAndItsKeysAreKnown()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NecroCode:Kubernetes:Namespace"] = "runners",
            ["NecroCode:Kubernetes:Image"] = "registry.example/necrocode-runner:1",
        }).Build();
        var services = new ServiceCollection();

        services.AddAgentRunner(settings.GetSection("NecroCode")).UseKubernetes();
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value, Is.Not.Null, "no key of the section is unknown");
            Assert.That(provider.GetRequiredService<IOptions<KubernetesOptions>>().Value.Namespace, Is.EqualTo("runners"));
            Assert.That(provider.GetRequiredService<IOptions<KubernetesOptions>>().Value.Image, Is.EqualTo("registry.example/necrocode-runner:1"));
        });
    }
}
